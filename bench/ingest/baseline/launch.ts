import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BaselineMode } from './modes';

export interface BaselineServer {
  mode: BaselineMode;
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

/** Forks the compiled baseline server (dist/bench/ingest/baseline/server.js) and waits for its port. */
export function launchBaseline(mode: BaselineMode, env: NodeJS.ProcessEnv): Promise<BaselineServer> {
  const child: ChildProcess = fork(path.join(__dirname, 'server.js'), [], {
    env: { ...process.env, ...env, BASELINE_MODE: mode },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`baseline ${mode} did not start within 15 s`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline ${mode} exited with ${code} before listening`));
    });
    child.once('message', (message: { port?: number }) => {
      clearTimeout(timer);
      if (!message.port || child.pid === undefined) return reject(new Error(`baseline ${mode} sent no port`));
      resolve({ mode, origin: `http://127.0.0.1:${message.port}`, pid: child.pid, stop });
    });
  });
}
