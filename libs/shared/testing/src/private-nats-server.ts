import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateNatsPasswords, natsServiceEnv, renderNatsAuthorization, type NatsPasswords, type NatsServiceName } from '@parking/contracts';
import { expectEventually } from './expect-eventually';
import { freeTcpPort } from './service-launcher';

export interface PrivateNatsServer {
  url: string;
  namespace: string;
  /** Each service's generated password (the server's config holds them; nothing logs them). */
  passwords: NatsPasswords;
  /** What a service's process needs to reach this server as itself: NATS_URL, NATS_NAMESPACE, NATS_USER, NATS_PASSWORD. */
  envFor(service: NatsServiceName): NodeJS.ProcessEnv;
  /** Everything the server printed (permission violations are logged as `Publish Violation` / `Subscription Violation`). */
  log(): string;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts a killed server again, on its port and its JetStream store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A nats-server of a test's own (`nats-server` on PATH, or NATS_SERVER_BIN), with JetStream in a
 * scratch directory and the authorization generated from `NATS_ACCESS` for `namespace`: one
 * user per service with fresh passwords, anonymous clients refused. For the tests of NATS
 * permissions and the chaos run (which kills and restarts it); every other test uses the
 * shared server at NATS_URL, which has none.
 */
export async function startPrivateNatsServer(options: { namespace: string }): Promise<PrivateNatsServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nats-private-'));
  const passwords = generateNatsPasswords();
  const config = path.join(dir, 'authorization.conf');
  writeFileSync(config, renderNatsAuthorization({ namespace: options.namespace, passwords }), { mode: 0o600 });
  const port = await freeTcpPort();
  const binary = process.env.NATS_SERVER_BIN || 'nats-server';
  const args = ['-js', '-sd', path.join(dir, 'jetstream'), '-c', config, '-a', '127.0.0.1', '-p', String(port)];
  let output = '';
  let child: ChildProcess;
  let exited: Promise<void>;
  const launch = async () => {
    child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const started = child;
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    let spawnError: Error | undefined;
    started.once('error', (error) => (spawnError = error));
    await expectEventually(
      async () => {
        if (spawnError) throw new Error(`cannot start ${binary}: ${spawnError.message}`);
        if (!(await greets(port))) throw new Error(`nats-server on port ${port} is not up yet:\n${output}`);
      },
      { timeoutMs: 10_000, intervalMs: 50, retryIf: () => !spawnError },
    );
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `nats://127.0.0.1:${port}`;
  return {
    url,
    namespace: options.namespace,
    passwords,
    envFor: (service) => ({ NATS_URL: url, NATS_NAMESPACE: options.namespace, ...natsServiceEnv(service, passwords[service]) }),
    log: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    restart: launch,
    stop,
  };
}

/** A NATS server greets every client with an INFO line, before any authentication. */
export function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('utf8').startsWith('INFO')));
  });
}
