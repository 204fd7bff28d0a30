import { Client } from 'pg';

export interface AppliedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  started_at: Date;
}

/** The bookkeeping table exactly as `prisma migrate deploy` creates it, so both agree on history. */
export function createMigrationsTableSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS "${schema}"."_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`;
}

/** Attempts that count: rolled-back ones are history only, as for Prisma. */
export async function readAppliedMigrations(client: Client, schema: string): Promise<AppliedMigration[]> {
  const { rows } = await client.query<AppliedMigration>(
    `SELECT migration_name, checksum, finished_at, started_at
       FROM "${schema}"."_prisma_migrations"
      WHERE rolled_back_at IS NULL
      ORDER BY started_at, migration_name`,
  );
  return rows;
}

export async function recordApplied(client: Client, schema: string, id: string, name: string, checksum: string): Promise<void> {
  // started_at is the transaction's start (now()), finished_at the moment it completes.
  await client.query(
    `INSERT INTO "${schema}"."_prisma_migrations"
       (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
    [id, checksum, name],
  );
}

/**
 * Our migrations run in one transaction, so a failed one left nothing behind: record it
 * as rolled back (the next run retries it) with the error in `logs`, as Prisma would show it.
 */
export async function recordRolledBack(client: Client, schema: string, id: string, name: string, checksum: string, logs: string): Promise<void> {
  await client.query(
    `INSERT INTO "${schema}"."_prisma_migrations"
       (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES ($1, $2, NULL, $3, $4, clock_timestamp(), clock_timestamp(), 0)`,
    [id, checksum, name, logs],
  );
}
