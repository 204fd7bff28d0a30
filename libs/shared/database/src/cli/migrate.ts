// `npm run db:migrate`: creates the roles, then applies every pending migration.
// DATABASE_ADMIN_URL (else DATABASE_URL) names the admin connection; each runtime role's password
// comes from its own DB_PASSWORD_<SERVICE> (DB_TRUST_AUTH=true: none, trust-auth servers only);
// MIGRATIONS_DIR overrides the prisma/ folder, which is otherwise found from the working directory.
import path from 'node:path';
import { runMigrations } from '../migrations';
import { rolePasswordsFromEnv, TRUST_AUTH, TRUST_AUTH_VARIABLE } from '../role-passwords';
import { bootstrapRoles } from '../roles';

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_ADMIN_URL || process.env.DATABASE_URL;
  if (!adminUrl) {
    throw new Error('Set DATABASE_ADMIN_URL (or DATABASE_URL) to an admin connection string, e.g. postgres://postgres@127.0.0.1:5432/parking');
  }
  const passwords = rolePasswordsFromEnv(process.env);
  const root = path.resolve(process.env.MIGRATIONS_DIR || 'prisma');
  // A command-line tool: its output is the summary on the terminal.
  const log = { info: (message: string) => void process.stdout.write(`${message}\n`), warn: (message: string) => void process.stderr.write(`${message}\n`) };
  if (passwords === TRUST_AUTH) log.warn(`${TRUST_AUTH_VARIABLE}=true: runtime roles get no password (for a trust-auth development server only)`);
  const roles = await bootstrapRoles({ adminUrl, passwords, log });
  const report = await runMigrations({ adminUrl, root, log });
  log.info(`roles: ${roles.created.length} created; migrations from ${root}: ${report.applied.length} applied, ${report.skipped.length} already applied`);
}

main().catch((error: unknown) => {
  process.stderr.write(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
