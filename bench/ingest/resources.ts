import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { bootstrapRoles, runMigrations, runtimeDatabaseUrl, TRUST_AUTH } from '@parking/database';
import { Client } from 'pg';
import { BENCH_TABLE_DDL } from './baseline/modes';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** One connection for `work`, closed after it. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  /** Superuser URL of the throw-away database (B2 writes here, outside any service schema). */
  adminUrl: string;
  postgresVersion: string;
  /** Applies the services' migrations (by default identity and ingest), for the platform run. */
  migratePlatform(repoRoot: string, schemas?: readonly string[]): Promise<void>;
  urlFor(service: string): string;
  drop(): Promise<void>;
}

/** A throw-away database holding B2's table; the platform's schemas are added on demand. `serverUrl`: a superuser URL of the server (default DATABASE_URL). */
export async function createBenchDatabase(label = 'ingest', serverUrl = ADMIN_URL): Promise<BenchDatabase> {
  const name = `parking_bench_${label}_${randomBytes(4).toString('hex')}`;
  const postgresVersion = await withClient(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const adminUrl = url.toString();
  await withClient(adminUrl, (client) => client.query(BENCH_TABLE_DDL));
  return {
    name,
    adminUrl,
    postgresVersion,
    async migratePlatform(repoRoot, schemas = ['identity', 'ingest']) {
      // Like the tests, against a trust-auth server: the runtime roles need no password.
      await bootstrapRoles({ adminUrl, passwords: TRUST_AUTH });
      await runMigrations({ adminUrl, root: path.join(repoRoot, 'prisma'), schemas: [...schemas] });
    },
    urlFor: (service) => runtimeDatabaseUrl(adminUrl, service),
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * Everything the bench must undo, undone in reverse order once: at the end, on an error,
 * and on Ctrl-C / SIGTERM.
 */
export class Cleanup {
  private readonly steps: Array<{ label: string; undo: () => Promise<unknown> }> = [];
  private running?: Promise<void>;

  add(label: string, undo: () => Promise<unknown>): void {
    this.steps.push({ label, undo });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        await step.undo().catch((error: unknown) => console.error(`cleanup: ${step.label} failed: ${(error as Error).message}`));
      }
    })();
    return this.running;
  }

  /** Ctrl-C and SIGTERM clean up, then exit. */
  onSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: cleaning up…`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }
}
