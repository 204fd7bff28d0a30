import { ChildProcess, fork, spawn } from 'node:child_process';
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
  /** The port to listen on (default a free one): a service started again keeps its address. */
  port?: number;
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

/** What one service runs with on `port`: the runner's environment, the test keys it holds, and `extra` over all. */
function serviceEnv(name: PlatformService, port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
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
    ...extra,
  });
  // A key from the runner's own environment would let a service sign that signs nothing in a deployment.
  if (!signingKey && extra.RPC_SIGNING_KEY === undefined) delete env.RPC_SIGNING_KEY;
  return env;
}

/**
 * Starts one compiled service (`npm run build` first) as its own process, the way
 * production runs it, on a free port.
 */
export async function launchService(name: PlatformService, options: LaunchOptions = {}): Promise<RunningService> {
  const port = options.port ?? (await freeTcpPort());
  const env = serviceEnv(name, port, options.env);
  const entry = path.join(process.cwd(), 'dist', 'apps', name, 'src', 'main.js');
  const child = watched(spawn(process.execPath, ['--enable-source-maps', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const service: RunningService = { name, baseUrl: `http://127.0.0.1:${port}`, ...child };
  if (options.waitReady ?? true) await untilReady(service, options.readyTimeoutMs);
  return service;
}

type WatchedProcess = Pick<RunningService, 'process' | 'output' | 'exited' | 'stop'>;

/** Collects a child's output and stops it with `signal`, killing it after 20 s. */
function watched(child: ChildProcess): WatchedProcess {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
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
}

async function untilReady(service: RunningService, timeoutMs = 60_000): Promise<void> {
  let ended = false;
  void service.exited.then(() => (ended = true));
  await expectEventually(
    async () => {
      if (ended) throw new Error(`${service.name} exited before it was ready:\n${service.output().slice(-4000)}`);
      const response = await fetch(`${service.baseUrl}/health/ready`);
      if (response.status !== 200) throw new Error(`${service.name} not ready: ${response.status} ${await response.text()}`);
    },
    { timeoutMs, intervalMs: 100, retryIf: () => !ended },
  ).catch(async (error) => {
    await service.stop('SIGKILL');
    throw error;
  });
}

/**
 * Every service of `names` in one process (dist/deploy/local/service-host.js, PROCESS_MODE=single),
 * each with the environment it would have in a process of its own, sent over IPC. The running
 * services share that process: stopping one stops them all.
 */
async function launchInOneProcess(names: readonly PlatformService[], envOf: (name: PlatformService) => NodeJS.ProcessEnv, hostEnv: NodeJS.ProcessEnv): Promise<RunningService[]> {
  const ports = await Promise.all(names.map(() => freeTcpPort()));
  const services = Object.fromEntries(names.map((name, i) => [name, serviceEnv(name, ports[i], envOf(name))]));
  const entry = path.join(process.cwd(), 'dist', 'deploy', 'local', 'service-host.js');
  const host = watched(fork(entry, [], { env: { ...process.env, LOG_LEVEL: 'info', ...hostEnv }, execArgv: ['--enable-source-maps'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
  host.process.send({ services });
  const running = names.map((name, i): RunningService => ({ name, baseUrl: `http://127.0.0.1:${ports[i]}`, ...host }));
  // One start-up: the first service that is not ready (or the host ending) fails them all.
  await Promise.all(running.map((service) => untilReady(service, 120_000)));
  return running;
}

export interface PlatformStack {
  services: Record<PlatformService, RunningService>;
  /**
   * Stops a service (SIGTERM, if it still runs) and starts it again on its port with its
   * environment, and `env` over it; waits until it is ready. A process per service only.
   */
  restart(name: PlatformService, env?: NodeJS.ProcessEnv, options?: Pick<LaunchOptions, 'waitReady'>): Promise<RunningService>;
  stop(): Promise<void>;
}

/**
 * Boots all seven services against one test database and one NATS namespace, each in a process
 * of its own or (`singleProcess`) all in one; stop() also removes the namespace's streams.
 */
export async function launchPlatform(
  database: TestDatabase,
  options: {
    namespace: string;
    env?: NodeJS.ProcessEnv;
    /** Per service, over `env`: e.g. its own NATS user (`PrivateNatsServer.envFor`). */
    envOf?: (service: PlatformService) => NodeJS.ProcessEnv;
    services?: readonly PlatformService[];
    /** All services in one Node process, as `npm start` runs them with PROCESS_MODE=single. */
    singleProcess?: boolean;
  },
): Promise<PlatformStack> {
  const names = options.services ?? ALL_SERVICES;
  const envOf = (name: PlatformService): NodeJS.ProcessEnv => ({
    NATS_NAMESPACE: options.namespace,
    ...(name === 'gateway' ? {} : { DATABASE_URL: database.urlFor(name) }),
    ...options.env,
    ...options.envOf?.(name),
  });
  if (options.singleProcess) {
    // The host's own environment matters where code reads process.env at load time (the RPC subjects' namespace).
    const running = await launchInOneProcess(names, envOf, { NATS_NAMESPACE: envOf(names[0]).NATS_NAMESPACE ?? options.namespace });
    return {
      services: Object.fromEntries(running.map((s) => [s.name, s])) as Record<PlatformService, RunningService>,
      restart: () => Promise.reject(new Error('the services share one process: restart the whole stack instead')),
      async stop() {
        await running[0]?.stop();
        await removeNamespaceStreams(options.namespace);
      },
    };
  }
  const started = await Promise.allSettled(names.map((name) => launchService(name, { env: envOf(name) })));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const services = Object.fromEntries(running.map((s) => [s.name, s])) as Record<PlatformService, RunningService>;
  const stop = async () => {
    await Promise.all(Object.values(services).map((service) => service.stop()));
    await removeNamespaceStreams(options.namespace);
  };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const restart: PlatformStack['restart'] = async (name, env = {}, launch = {}) => {
    const previous = services[name];
    await previous.stop();
    services[name] = await launchService(name, { env: { ...envOf(name), ...env }, port: Number(new URL(previous.baseUrl).port), ...launch });
    return services[name];
  };
  return { services, restart, stop };
}
