import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
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
