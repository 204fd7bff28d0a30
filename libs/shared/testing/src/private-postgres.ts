import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postgresAnswers } from '@parking/database';
import { expectEventually } from './expect-eventually';
import { freeTcpPort } from './service-launcher';

export interface PrivatePostgres {
  /** Superuser URL of its `postgres` database (trust authentication on 127.0.0.1). */
  adminUrl: string;
  port: number;
  /** The postmaster's pid now. */
  readonly pid: number;
  /** SIGKILL to the postmaster, as a crash would; its backends notice and end by themselves. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory (crash recovery replays the WAL). */
  restart(): Promise<void>;
  /** Fast shutdown, and the data directory removed. */
  stop(): Promise<void>;
}

/**
 * A PostgreSQL cluster of a test's own: initdb into a scratch directory and the postmaster on a
 * free port, from the binaries on this machine (POSTGRES_BIN_DIR, or where `pg_config --bindir`
 * or the Debian packages put them). For tests that must kill PostgreSQL: the shared server at
 * DATABASE_URL is never stopped. As root, PostgreSQL runs as the user `postgres`.
 */
export async function startPrivatePostgres(options: { settings?: Record<string, string> } = {}): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-private-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (command: string, args: string[]) => (asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', command, ...args]] : [command, args]) as [string, string[]];
  execFileSync(...run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-instructions']), { stdio: 'pipe' });
  const port = await freeTcpPort();
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    max_connections: '300',
    ...options.settings,
  };
  const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess;
  let output = '';

  const launch = async () => {
    child = spawn(...run(path.join(bin, 'postgres'), args), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
    child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
    const started = child;
    await expectEventually(
      async () => {
        if (started.exitCode !== null) throw new Error(`postgres exited (${started.exitCode}):\n${output}`);
        if (!(await postgresAnswers(adminUrl, 1_000))) throw new Error(`postgres on port ${port} does not answer yet`);
      },
      { timeoutMs: 60_000, intervalMs: 100, retryIf: () => started.exitCode === null },
    );
  };
  const ended = (process: ChildProcess) =>
    process.exitCode !== null || process.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => process.once('exit', () => resolve()));
  /** Until the killed postmaster's backends have gone: a new one refuses to start beside them. */
  const backendsGone = () =>
    expectEventually(
      () => {
        const left = processesIn(data);
        if (left > 0) throw new Error(`${left} backends of the killed postmaster are still running`);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    adminUrl,
    port,
    get pid() {
      return child.pid as number;
    },
    async kill() {
      const victim = child;
      victim.kill('SIGKILL');
      await ended(victim);
      await backendsGone();
    },
    async restart() {
      await launch();
    },
    async stop() {
      const last = child;
      if (last.exitCode === null && last.signalCode === null) last.kill('SIGINT');
      await ended(last);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How many processes run in the cluster's data directory: every postgres process of a cluster works there. */
function processesIn(data: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === data) count++;
    } catch {
      // Ended meanwhile, or not ours to read.
    }
  }
  return count;
}

function postgresBinDir(): string {
  if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (existsSync(path.join(dir, 'postgres'))) return dir;
  } catch {
    // No pg_config on PATH: look where Debian installs the server.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) if (existsSync(path.join(debian, version, 'bin', 'postgres'))) return path.join(debian, version, 'bin');
  }
  throw new Error('PostgreSQL server binaries not found: set POSTGRES_BIN_DIR (the directory holding initdb and postgres)');
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root, and there is no user `postgres` to run PostgreSQL as');
  }
}
