import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { DatabaseLogger, silentLogger } from '../logger';
import { OWNER_ROLE, SERVICES, serviceSchema } from '../service-schemas';
import { MigrationError } from './migration-error';
import { MigrationFile, readMigrationFiles } from './migration-files';
import { createMigrationsTableSql, readAppliedMigrations, recordApplied, recordRolledBack } from './migrations-table';
import { syncPlatformAdminPrivileges } from './platform-admin-privileges';
import { verifyHistory } from './verify-history';

export interface RunMigrationsOptions {
  adminUrl: string;
  /** Folder holding `<schema>/migrations/`; relative paths start at process.cwd(). */
  root?: string;
  /** A subset of the service schemas; they still run in SERVICES order. */
  schemas?: string[];
  log?: DatabaseLogger;
}

export interface MigrationReport {
  /** `<schema>/<migration>` applied by this run, in order. */
  applied: string[];
  /** `<schema>/<migration>` that were already applied. */
  skipped: string[];
}

/**
 * Applies every pending migration of every service schema, then gives each platform-admin role
 * its runtime role's privileges; a second run is a no-op.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<MigrationReport> {
  const root = path.resolve(options.root ?? 'prisma');
  const log = options.log ?? silentLogger;
  const report: MigrationReport = { applied: [], skipped: [] };
  const client = new Client({ connectionString: options.adminUrl });
  await client.connect();
  try {
    for (const schema of orderedSchemas(options.schemas)) {
      const migrationsDir = path.join(root, schema, 'migrations');
      const files = await readMigrationFiles(migrationsDir);
      await withSchemaLock(client, schema, async () => {
        await prepareSchema(client, schema);
        const applied = await readAppliedMigrations(client, schema);
        verifyHistory(schema, migrationsDir, files, applied);
        const done = new Set(applied.map((row) => row.migration_name));
        for (const file of files) {
          if (done.has(file.name)) {
            report.skipped.push(`${schema}/${file.name}`);
            continue;
          }
          await applyMigration(client, schema, file);
          report.applied.push(`${schema}/${file.name}`);
          log.info(`applied ${schema}/${file.name}`);
        }
        // The migrations grant to the runtime role; its platform-admin role follows (also after a no-op run).
        await inTransaction(client, () => syncPlatformAdminPrivileges(client, serviceSchema(schema)));
      });
    }
  } finally {
    await client.end();
  }
  return report;
}

function orderedSchemas(requested?: string[]): string[] {
  const known = SERVICES.map((s) => s.schema);
  if (!requested) return known;
  const unknown = requested.filter((schema) => !known.includes(schema));
  if (unknown.length > 0) {
    throw new Error(`Unknown schema(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return known.filter((schema) => requested.includes(schema));
}

// Several replicas may start at once; only one migrates a schema, the others then skip.
async function withSchemaLock(client: Client, schema: string, work: () => Promise<void>): Promise<void> {
  const key = `parking:migrate:${schema}`;
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
  try {
    await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
  }
}

async function prepareSchema(client: Client, schema: string): Promise<void> {
  const owner = client.escapeIdentifier(OWNER_ROLE);
  const name = client.escapeIdentifier(schema);
  await inTransaction(client, async () => {
    await client.query(`SET LOCAL ROLE ${owner}`);
    // Checked first: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database.
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (!rowCount) await client.query(`CREATE SCHEMA ${name}`);
    await client.query(createMigrationsTableSql(schema));
  });
}

async function applyMigration(client: Client, schema: string, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  try {
    await inTransaction(client, async () => {
      await client.query(`SET LOCAL ROLE ${client.escapeIdentifier(OWNER_ROLE)}`);
      // As with Prisma's `?schema=`, unqualified names land in the service's schema.
      await client.query(`SET LOCAL search_path TO ${client.escapeIdentifier(schema)}`);
      await client.query(file.sql);
      await client.query('RESET ROLE');
      await recordApplied(client, schema, id, file.name, file.checksum);
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Best effort: the connection itself may be what failed, and the error below matters more.
    await recordRolledBack(client, schema, id, file.name, file.checksum, reason).catch(() => undefined);
    throw new MigrationError(`Migration ${schema}/${file.name} failed and was rolled back (${file.file}): ${reason}`, schema, file.name, file.file, {
      cause: error,
    });
  }
}

async function inTransaction(client: Client, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
