import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newRolePassword, rolePasswordVariable, SERVICES } from '@parking/database';

export const DATABASE_PASSWORDS_FILE = 'database-passwords.json';

/**
 * One password per runtime role of a local stack, by service: made once and kept in the data
 * directory (mode 0600), so a second start logs in with what the first one set.
 * DB_PASSWORD_<SERVICE> in the environment wins.
 */
export function localDatabasePasswords(dataDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const file = path.join(dataDir, DATABASE_PASSWORDS_FILE);
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const passwords = Object.fromEntries(
    SERVICES.map(({ service }) => [service, env[rolePasswordVariable(service)] || stored[service] || newRolePassword()]),
  );
  writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  // The mode above applies only to a new file.
  chmodSync(file, 0o600);
  return passwords;
}

/**
 * The environment a service inherits, without the admin URL and the roles' passwords: each
 * service gets only its own role's password, inside its DATABASE_URL (which a DATABASE_PASSWORD
 * from the shell would override).
 */
export function withoutDatabaseSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.DATABASE_ADMIN_URL;
  delete copy.DATABASE_PASSWORD;
  for (const { service } of SERVICES) delete copy[rolePasswordVariable(service)];
  return copy;
}
