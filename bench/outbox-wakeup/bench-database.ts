import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { bootstrapRoles, runMigrations, runtimeDatabaseUrl, TRUST_AUTH } from '@parking/database';
import { Client } from 'pg';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  identityUrl: string;
  postgresVersion: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A throw-away, fully migrated database, so the bench never touches anyone's data. */
export async function createBenchDatabase(repoRoot: string): Promise<BenchDatabase> {
  const name = `parking_bench_${randomBytes(4).toString('hex')}`;
  const postgresVersion = await admin(async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    return (await client.query<{ server_version: string }>(`SHOW server_version`)).rows[0].server_version;
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  // Like the tests, against a trust-auth server: the runtime roles need no password.
  await bootstrapRoles({ adminUrl: url.toString(), passwords: TRUST_AUTH });
  await runMigrations({ adminUrl: url.toString(), root: path.join(repoRoot, 'prisma'), schemas: ['identity'] });
  return {
    identityUrl: runtimeDatabaseUrl(url.toString(), 'identity'),
    postgresVersion,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
