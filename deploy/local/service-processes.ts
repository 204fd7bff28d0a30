import { ChildProcess, fork, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { HostedServices } from './service-host';
import { ServiceName } from './stack-layout';
import { terminate } from './infrastructure';

const COLOURS = [36, 32, 33, 35, 34, 91, 96];

/** Runs one compiled service and prefixes each of its output lines with its name. */
export function startServiceProcess(service: ServiceName, index: number, env: NodeJS.ProcessEnv): ChildProcess {
  const entry = path.join(process.cwd(), 'dist', 'apps', service, 'src', 'main.js');
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const label = process.stdout.isTTY ? `\x1b[${COLOURS[index % COLOURS.length]}m[${service}]\x1b[0m` : `[${service}]`;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${label} ${line}\n`));
  }
  return child;
}

/** `per-service`: a process for each service, as in Kubernetes; `single`: all in one (PROCESS_MODE). */
export type ProcessMode = 'per-service' | 'single';
export const PROCESS_MODES: readonly ProcessMode[] = ['per-service', 'single'];
/** The quick start's default: see bench/results/idle-*.md for the two modes measured side by side. */
export const DEFAULT_PROCESS_MODE: ProcessMode = 'single';

export function processMode(env: NodeJS.ProcessEnv): ProcessMode {
  const mode = env.PROCESS_MODE?.trim() || DEFAULT_PROCESS_MODE;
  if (!(PROCESS_MODES as readonly string[]).includes(mode)) throw new Error(`PROCESS_MODE must be one of ${PROCESS_MODES.join(', ')}; not "${mode}"`);
  return mode as ProcessMode;
}

/** Keys that reach a service only through its own environment, never the shared host's. */
const SERVICE_SECRETS = ['SECRETS_KEY', 'SECRETS_KEY_PREVIOUS', 'CHIRPSTACK_SYNC_SECRETS_KEY', 'CHIRPSTACK_SYNC_SECRETS_KEY_PREVIOUS', 'RPC_SIGNING_KEY', 'INTEGRATION_SECRETS_KEY'];

/**
 * Runs every service of `environments` in one process (service-host.js), each with its own
 * environment, sent over the IPC channel; its output lines are prefixed like a service's.
 */
export function startServiceHost(environments: HostedServices['services'], hostEnv: NodeJS.ProcessEnv, label = 'services'): ChildProcess {
  const entry = path.join(process.cwd(), 'dist', 'deploy', 'local', 'service-host.js');
  const env = { ...hostEnv };
  for (const key of SERVICE_SECRETS) delete env[key];
  const child = fork(entry, [], { env, execArgv: ['--enable-source-maps'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.send({ services: environments } satisfies HostedServices);
  const prefix = process.stdout.isTTY ? `\x1b[36m[${label}]\x1b[0m` : `[${label}]`;
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
  }
  return child;
}

export async function stopServiceProcesses(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((child) => terminate(child, 15_000)));
}

/** Resolves when GET url answers 200, rejects after timeoutMs. */
export async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s (last: ${last})`);
}
