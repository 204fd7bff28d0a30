import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { expectEventually } from './expect-eventually';
import { TEST_RPC_KEYS } from './rpc-test-keys';
import { removeNamespaceStreams } from './namespace-streams';
import { TestDatabase } from './test-database';

/** The seven services, as their folders under apps/ name them. */
export const ALL_SERVICES = ['gateway', 'identity', 'ingest', 'occupancy', 'reservations', 'downlink', 'chirpstack-sync'] as const;
export type PlatformService = (typeof ALL_SERVICES)[number];

export interface RunningService {
  name: PlatformService;
  baseUrl: string;
  process: ChildProcess;
  /** Everything the process printed so far (JSON log lines). */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface LaunchOptions {
  /** Extra or overriding environment variables. */
  env?: NodeJS.ProcessEnv;
  /** Wait until /health/ready answers 200 (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

/** A free TCP port on the loopback interface. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * SECRETS_KEY as a deployment hands it out, from one env for a whole stack: SECRETS_KEY there is
 * identity's, which the gateway refuses; chirpstack-sync gets its own, CHIRPSTACK_SYNC_SECRETS_KEY
 * (and _PREVIOUS), in its place.
 */
export function withOwnSecretsKey(name: PlatformService, stackEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CHIRPSTACK_SYNC_SECRETS_KEY: chirpstackSyncKey, CHIRPSTACK_SYNC_SECRETS_KEY_PREVIOUS: chirpstackSyncPrevious, ...env } = stackEnv;
  if (name === 'gateway' || name === 'chirpstack-sync') {
    delete env.SECRETS_KEY;
    delete env.SECRETS_KEY_PREVIOUS;
  }
  if (name === 'chirpstack-sync') {
    if (chirpstackSyncKey) env.SECRETS_KEY = chirpstackSyncKey;
    if (chirpstackSyncPrevious) env.SECRETS_KEY_PREVIOUS = chirpstackSyncPrevious;
  }
  return env;
}

/**
 * Starts one compiled service (`npm run build` first) as its own process, the way
 * production runs it, on a free port.
 */
export async function launchService(name: PlatformService, options: LaunchOptions = {}): Promise<RunningService> {
  const port = await freeTcpPort();
  const signingKey = TEST_RPC_KEYS.signingKeyOf(name);
  const env: NodeJS.ProcessEnv = withOwnSecretsKey(name, {
    ...process.env,
    LOG_LEVEL: 'info',
    // JetStream reserves every stream's max_bytes on the shared test server: test stacks keep theirs small.
    NATS_STREAM_LIMITS: '*=64MiB/1d',
    // Every service trusts the test keys of every signer (so do the specs' own clients); the
    // gateway, reservations and downlink each sign with their own, the others sign nothing.
    RPC_TRUSTED_KEYS: TEST_RPC_KEYS.trustedKeys,
    ...(signingKey ? { RPC_SIGNING_KEY: signingKey } : {}),
    ...(name === 'gateway' ? { GATEWAY_PORT: String(port) } : { HTTP_PORT: String(port) }),
    // Specs need a signed-in user at once: registration skips the mailed link unless a spec asks for it.
    ...(name === 'identity' ? { EMAIL_VERIFICATION_REQUIRED: 'false' } : {}),
    ...options.env,
  });
  // A key from the runner's own environment would let a service sign that signs nothing in a deployment.
  if (!signingKey && options.env?.RPC_SIGNING_KEY === undefined) delete env.RPC_SIGNING_KEY;
  const entry = path.join(process.cwd(), 'dist', 'apps', name, 'src', 'main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    name,
    baseUrl,
    process: child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  if (options.waitReady ?? true) {
    let ended = false;
    void exited.then(() => (ended = true));
    await expectEventually(
      async () => {
        if (ended) throw new Error(`${name} exited before it was ready:\n${output.slice(-4000)}`);
        const response = await fetch(`${baseUrl}/health/ready`);
        if (response.status !== 200) throw new Error(`${name} not ready: ${response.status} ${await response.text()}`);
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 100, retryIf: () => !ended },
    ).catch(async (error) => {
      await service.stop('SIGKILL');
      throw error;
    });
  }
  return service;
}

export interface PlatformStack {
  services: Record<PlatformService, RunningService>;
  stop(): Promise<void>;
}

/** Boots all seven services against one test database and one NATS namespace; stop() also removes the namespace's streams. */
export async function launchPlatform(
  database: TestDatabase,
  options: {
    namespace: string;
    env?: NodeJS.ProcessEnv;
    /** Per service, over `env`: e.g. its own NATS user (`PrivateNatsServer.envFor`). */
    envOf?: (service: PlatformService) => NodeJS.ProcessEnv;
    services?: readonly PlatformService[];
  },
): Promise<PlatformStack> {
  const names = options.services ?? ALL_SERVICES;
  const started = await Promise.allSettled(
    names.map((name) =>
      launchService(name, {
        env: {
          NATS_NAMESPACE: options.namespace,
          ...(name === 'gateway' ? {} : { DATABASE_URL: database.urlFor(name) }),
          ...options.env,
          ...options.envOf?.(name),
        },
      }),
    ),
  );
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const stop = async () => {
    await Promise.all(running.map((service) => service.stop()));
    await removeNamespaceStreams(options.namespace);
  };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { services: Object.fromEntries(running.map((s) => [s.name, s])) as Record<PlatformService, RunningService>, stop };
}
