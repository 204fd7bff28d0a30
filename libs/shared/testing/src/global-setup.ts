import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { bootstrapRoles, runMigrations, TRUST_AUTH } from '@parking/database';
import { TEMPLATE_DATABASE_ENV, TEST_RUN_ENV, databaseUrl, dropDatabase, testAdminUrl, withAdmin } from './test-database';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** Where the started container (if any) waits for globalTeardown (same process) to stop it. */
export const CONTAINER_KEY = Symbol.for('parking.test.postgres-container');
const RUNTIME_PROBE_MS = 2_000;
const CONTAINER_START_MS = 120_000;

/**
 * Once per jest run: migrates a template database that every test file clones. Its name
 * travels to the workers through process.env, which they inherit.
 */
export default async function globalSetup(): Promise<void> {
  const containerUrl = await startContainerIfAvailable();
  if (containerUrl) process.env.DATABASE_URL = containerUrl;
  const adminUrl = testAdminUrl();
  const runId = randomBytes(4).toString('hex');
  const template = `parking_tpl_${runId}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${admin.escapeIdentifier(template)}`));
  try {
    const templateUrl = databaseUrl(adminUrl, template);
    // The test server authenticates by trust (see .ci/run): the runtime roles need no password.
    await bootstrapRoles({ adminUrl: templateUrl, passwords: TRUST_AUTH });
    await runMigrations({ adminUrl: templateUrl, root: process.env.MIGRATIONS_DIR || path.join(REPO_ROOT, 'prisma') });
    // Nobody may connect to the template any more: a stray session would block every clone.
    await withAdmin(adminUrl, (admin) => admin.query(`ALTER DATABASE ${admin.escapeIdentifier(template)} WITH ALLOW_CONNECTIONS false`));
  } catch (error) {
    // jest skips globalTeardown when globalSetup fails: clean up here.
    await dropDatabase(adminUrl, template);
    await stopContainer();
    throw error;
  }
  process.env[TEMPLATE_DATABASE_ENV] = template;
  process.env[TEST_RUN_ENV] = runId;
  // Services under test encrypt secrets; each run gets throw-away keys unless they are given:
  // identity's own (signing keys), the one identity shares with the gateway (HMAC secrets), and
  // chirpstack-sync's own (the launcher hands it over as that service's SECRETS_KEY).
  process.env.SECRETS_KEY ||= randomBytes(32).toString('base64');
  process.env.INTEGRATION_SECRETS_KEY ||= randomBytes(32).toString('base64');
  process.env.CHIRPSTACK_SYNC_SECRETS_KEY ||= randomBytes(32).toString('base64');
}

/**
 * A throw-away PostgreSQL when a container engine answers; otherwise undefined, quickly and
 * quietly, and the run uses DATABASE_URL.
 */
async function startContainerIfAvailable(): Promise<string | undefined> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const runtime = await withTimeout(getContainerRuntimeClient(), RUNTIME_PROBE_MS).catch(() => undefined);
  if (!runtime) return undefined;
  const container = await withTimeout(
    new GenericContainer('postgres:15-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    CONTAINER_START_MS,
  );
  (globalThis as Record<symbol, unknown>)[CONTAINER_KEY] = container;
  return `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
}

export async function stopContainer(): Promise<void> {
  const holder = globalThis as Record<symbol, { stop(): Promise<unknown> } | undefined>;
  await holder[CONTAINER_KEY]?.stop();
  holder[CONTAINER_KEY] = undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
