/**
 * `npm run smoke`: builds, then starts the whole stack the way `npm start` does (its
 * compiled entry, dist/deploy/local/start.js) twice in a scratch data
 * directory (embedded PostgreSQL when DATABASE_URL is unset), waits until all seven
 * /health/ready answer 200, stops it with SIGINT, and checks that it stopped cleanly.
 * The second start must reuse the data of the first, and each start prints nothing at the
 * default log level but each service's ready line and the URLs. The first runs a process per service,
 * the second all services in one (PROCESS_MODE), so both modes are exercised.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_NAMES, servicePort } from './stack-layout';
import { waitForReady } from './service-processes';

const START_TIMEOUT_MS = 180_000;

async function runOnce(env: NodeJS.ProcessEnv, round: number): Promise<string> {
  const started = Date.now();
  const child = spawn('node', ['dist/deploy/local/start.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await Promise.race([
      Promise.all(SERVICE_NAMES.map((s) => waitForReady(`http://127.0.0.1:${servicePort(s, env)}/health/ready`, START_TIMEOUT_MS))),
      exited.then((code) => Promise.reject(new Error(`npm start exited early with code ${code}`))),
    ]);
    console.log(`smoke round ${round} (PROCESS_MODE=${env.PROCESS_MODE}): all ${SERVICE_NAMES.length} services ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await loginAsDemo(env);
    console.log(`smoke round ${round}: the demo tenant can log in through the gateway and read sites, reservations, displays and connections`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- output of npm start ---\n${output.slice(-8000)}`);
  }
  child.kill('SIGINT');
  const code = await stopWithin(child, exited, 60_000);
  if (code !== 0) throw new Error(`npm start did not stop cleanly (exit ${code})\n${output.slice(-8000)}`);
  const errors = output.split('\n').filter((line) => /"level":"(error|fatal)"/.test(line));
  if (errors.length) throw new Error(`services logged errors while starting or stopping:\n${errors.slice(0, 10).join('\n')}`);
  console.log(`smoke round ${round}: stopped cleanly`);
  checkQuietStartup(output, round);
  return output;
}

const READY_LINE = / listening on :\d+"/;

/**
 * Start-up at the default log level says what an operator needs: each service's one ready line
 * (and the URLs after them); the framework's module and route lines and the services' own
 * start-up details go at debug.
 */
function checkQuietStartup(output: string, round: number): void {
  const upTo = output.indexOf('The platform is up:');
  const logLines = output
    .slice(0, upTo < 0 ? output.length : upTo)
    .split('\n')
    // Lines of requests (the round's own login may beat the banner) are not start-up.
    .filter((line) => line.includes('{"level":') && !line.includes('"requestId":'));
  const ready = logLines.filter((line) => READY_LINE.test(line));
  const others = logLines.filter((line) => !READY_LINE.test(line));
  if (ready.length !== SERVICE_NAMES.length || others.length > 0) {
    throw new Error(
      `npm start printed ${ready.length} ready lines (one per service: ${SERVICE_NAMES.length}) and ${others.length} other log lines before the platform was up:\n${others.slice(0, 20).join('\n')}`,
    );
  }
  console.log(`smoke round ${round}: start-up printed each service's ready line and nothing else`);
}

/** The seeded demo login, through the gateway's public API, proves the stack works end to end. */
async function loginAsDemo(env: NodeJS.ProcessEnv): Promise<void> {
  const { demoEmail, demoPassword } = JSON.parse(readFileSync(path.join(env.PARKING_DATA_DIR as string, 'secrets.json'), 'utf8'));
  const gateway = `http://127.0.0.1:${servicePort('gateway', env)}`;
  const login = await fetch(`${gateway}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoEmail, password: demoPassword }),
  });
  if (login.status !== 200) throw new Error(`demo login answered ${login.status}: ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const me = await fetch(`${gateway}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (me.status !== 200) throw new Error(`GET /api/v1/auth/me answered ${me.status}: ${await me.text()}`);
  // Through the gateway to the services behind it, over NATS with its authorization on.
  for (const route of ['/api/v1/sites', '/api/v1/reservations', '/api/v1/displays', '/api/v1/signage/policy', '/api/v1/chirpstack/connections']) {
    const answer = await fetch(`${gateway}${route}`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (answer.status !== 200) throw new Error(`GET ${route} answered ${answer.status}: ${await answer.text()}`);
  }
}

async function stopWithin(child: ChildProcess, exited: Promise<number | null>, ms: number): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'parking-smoke-'));
  // As root the embedded PostgreSQL runs as `postgres`, which must be able to reach its directory.
  chmodSync(scratch, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, PARKING_DATA_DIR: scratch, PORT_BASE: process.env.PORT_BASE ?? '13000' };
  // The level an operator starts with: start-up must be quiet at it.
  delete env.LOG_LEVEL;
  delete env.GATEWAY_PORT;
  try {
    const first = await runOnce({ ...env, PROCESS_MODE: 'per-service' }, 1);
    const second = await runOnce({ ...env, PROCESS_MODE: 'single' }, 2);
    if (!/all seven in one process/.test(second)) throw new Error('second start did not run the services in one process');
    if (!/New tenants start on the free plan/.test(first)) throw new Error('npm start did not say which plan new tenants start on');
    const embedded = !process.env.DATABASE_URL;
    if (embedded && !/embedded PostgreSQL 15 \(new data/.test(first)) throw new Error('first start did not create a new embedded PostgreSQL');
    if (embedded && !/embedded PostgreSQL 15 \(reused data/.test(second)) throw new Error('second start did not reuse .data');
    if (!/migrations applied: 0,/.test(second)) throw new Error('second start applied migrations again');
    console.log('smoke: passed');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`smoke: FAILED\n${(error as Error).message}`);
  process.exit(1);
});
