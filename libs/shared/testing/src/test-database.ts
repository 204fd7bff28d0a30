import { randomBytes } from 'node:crypto';
import { OWNER_ROLE, runtimeDatabaseUrl } from '@parking/database';
import { Client } from 'pg';
import { expectEventually } from './expect-eventually';

/** Set by the jest globalSetup and inherited by the test workers. */
export const TEMPLATE_DATABASE_ENV = 'PARKING_TEST_TEMPLATE_DB';
/** This run's id: every database the run creates is named after it, so teardown finds leftovers. */
export const TEST_RUN_ENV = 'PARKING_TEST_RUN';
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  /** Superuser URL of this database: for arranging rows and inspecting the catalog. */
  adminUrl: string;
  /** URL of this database as the service's runtime role (RLS applies). */
  urlFor(service: string): string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** An empty database instead of a clone of the migrated template. */
  empty?: boolean;
}

export function testAdminUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function cloneNamePrefix(runId: string): string {
  return `parking_t_${runId}_`;
}

/** A database of its own for one test file: a clone of the migrated template, cheap to make. */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_DATABASE_ENV];
  const runId = process.env[TEST_RUN_ENV];
  if (!template || !runId) {
    throw new Error(`${TEMPLATE_DATABASE_ENV} is not set: run integration tests through jest's integration project (its globalSetup migrates the template)`);
  }
  const adminUrl = testAdminUrl();
  const name = `${cloneNamePrefix(runId)}${randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, async (admin) => {
    const source = options.empty ? '' : ` TEMPLATE ${admin.escapeIdentifier(template)}`;
    // Cloning fails while anything else is connected to the template; that passes quickly.
    await expectEventually(() => admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}${source}`).then(() => undefined), {
      timeoutMs: 10_000,
      intervalMs: 50,
      retryIf: (error) => (error as { code?: string }).code === '55006',
    });
    // Database privileges are not copied from the template; later migrations may create schemas.
    await admin.query(`GRANT CREATE ON DATABASE ${admin.escapeIdentifier(name)} TO ${admin.escapeIdentifier(OWNER_ROLE)}`);
  });
  const url = databaseUrl(adminUrl, name);
  return {
    name,
    adminUrl: url,
    urlFor: (service) => runtimeDatabaseUrl(url, service),
    drop: () => dropDatabase(adminUrl, name),
  };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`));
}

export async function withAdmin<T>(adminUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
