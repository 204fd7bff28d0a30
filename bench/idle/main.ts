// What the platform costs when nothing happens, in both process modes: every service in a
// process of its own (as Kubernetes runs them) and all in one (`npm start` with
// PROCESS_MODE=single). A tenant with a few devices, then CPU ms per second and resident
// memory over a quiet window. With BENCH_E2E_CPU_PROFILE_DIR the per-service window is also
// profiled and summarised (top frames per service); profiling itself costs CPU, so the CPU
// figures of such a run are not the ones to quote.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { ALL_SERVICES, removeNamespaceStreams } from '@parking/testing';
import { startPlatform } from '../ingest/platform';
import { processCpuMs, residentMb } from '../ingest/proc-cpu';
import { machineOf } from '../ingest/report';
import { Cleanup, createBenchDatabase } from '../ingest/resources';
import { positiveNumber } from '../ingest/settings';
import { benchDevices, UplinkTraffic } from '../ingest/traffic';
import { renderProfileSummary, summarizeProfile, type CpuProfile } from '../profile/summary';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const TARGET_CPU_MS_PER_SECOND = 5;
const TARGET_SINGLE_PROCESS_MB = 400;
const MODES = ['per-service', 'single'] as const;
type Mode = (typeof MODES)[number];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Quiet {
  /** Per process: the service's name, or `all services` for the single process. */
  cpuMsPerSecond: Record<string, number>;
  residentMb: Record<string, number>;
  postgresVersion: string;
}

interface Settings {
  settleSeconds: number;
  windowSeconds: number;
  profileDir?: string;
}

/** One stack in `mode`, quiet for `settleSeconds`, then measured over `windowSeconds`. */
async function measureQuiet(mode: Mode, settings: Settings, cleanup: Cleanup): Promise<Quiet> {
  const namespace = `benchidle${randomBytes(4).toString('hex')}`;
  const database = await createBenchDatabase('idle');
  const own = new Cleanup();
  own.add(`drop database ${database.name}`, () => database.drop());
  own.add(`remove streams of ${namespace}`, () => removeNamespaceStreams(namespace, NATS_URL));
  cleanup.add(`the ${mode} stack`, () => own.run());
  const devices = benchDevices(10);
  const traffic = new UplinkTraffic(devices, { duplicateShare: 0, invalidShare: 0 });
  const profiling = mode === 'per-service' && settings.profileDir;
  const platform = await startPlatform({
    repoRoot: REPO_ROOT,
    database,
    namespace,
    devices,
    logLevel: 'info',
    services: ALL_SERVICES,
    label: 'idle',
    singleProcess: mode === 'single',
    env: {
      CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64'),
      ...(profiling ? { NODE_OPTIONS: `--require ${path.join(__dirname, '..', 'e2e', 'cpu-profile-preload.js')}`, BENCH_CPU_PROFILE_DIR: settings.profileDir } : {}),
    },
    probe: () => traffic.take(1)[0],
  });
  own.add('stop the platform', () => platform.stop());
  console.log(`${mode}: platform up (${platform.devices}); quiet for ${settings.settleSeconds} s, then measuring ${settings.windowSeconds} s`);
  await pause(settings.settleSeconds * 1000);

  // One entry per process: the single process holds every service.
  const pids = platform.processes;
  const signal = () => profiling && Object.values(pids).forEach((pid) => process.kill(pid, 'SIGUSR2'));
  signal();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  await pause(settings.windowSeconds * 1000);
  const cpuMsPerSecond = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, (processCpuMs(pid) - before[name]) / settings.windowSeconds]));
  const rss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, residentMb(pid)]));
  signal();
  if (profiling) await pause(2000);
  await own.run();
  return { cpuMsPerSecond, residentMb: rss, postgresVersion: database.postgresVersion };
}

const total = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const settings: Settings = {
    settleSeconds: positiveNumber(process.env, 'BENCH_IDLE_SETTLE_SECONDS', 20),
    windowSeconds: positiveNumber(process.env, 'BENCH_IDLE_SECONDS', 30),
    profileDir: process.env.BENCH_E2E_CPU_PROFILE_DIR ? path.resolve(process.env.BENCH_E2E_CPU_PROFILE_DIR) : undefined,
  };
  const modes = (process.env.BENCH_IDLE_MODES ?? MODES.join(',')).split(',').map((m) => m.trim()) as Mode[];
  const unknown = modes.filter((m) => !MODES.includes(m));
  if (unknown.length) throw new Error(`BENCH_IDLE_MODES names ${MODES.join(', ')}; not ${unknown.join(', ')}`);
  const loadAverage = loadavg()[0];
  const cleanup = new Cleanup();
  cleanup.onSignals();
  if (settings.profileDir) {
    rmSync(settings.profileDir, { recursive: true, force: true });
    mkdirSync(settings.profileDir, { recursive: true });
  }
  try {
    const results: Partial<Record<Mode, Quiet>> = {};
    for (const mode of modes) results[mode] = await measureQuiet(mode, settings, cleanup);
    const machine = machineOf(Object.values(results)[0]?.postgresVersion ?? 'unknown', 'see NATS_URL', loadAverage);
    const lines = [
      `# Idle footprint: the seven services with no traffic, per process and all in one (${new Date().toISOString().slice(0, 10)})`,
      '',
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}; load average when the run began ${loadAverage.toFixed(2)}.`,
      `Stack: the seven services, compiled, LOG_LEVEL=info, one tenant with 10 sensors and a webhook integration; quiet for ${settings.settleSeconds} s after start-up, ` +
        `then measured for ${settings.windowSeconds} s (user + system time from /proc; resident memory at the window's end). ` +
        `Modes: ${modes.map((m) => (m === 'single' ? '`single` (all in one process, `npm start` with PROCESS_MODE=single)' : '`per-service` (a process each, as Kubernetes runs them)')).join(' and ')}.`,
      '',
    ];
    const perService = results['per-service'];
    if (perService) {
      lines.push(
        `| per-service: process | CPU ms / s idle | ≤ ${TARGET_CPU_MS_PER_SECOND} | resident memory |`,
        '| --- | ---: | --- | ---: |',
        ...Object.keys(perService.cpuMsPerSecond).map(
          (name) => `| ${name} | ${perService.cpuMsPerSecond[name].toFixed(1)} | ${perService.cpuMsPerSecond[name] <= TARGET_CPU_MS_PER_SECOND ? 'met' : '**not met**'} | ${perService.residentMb[name].toFixed(0)} MB |`,
        ),
        `| all seven | ${total(perService.cpuMsPerSecond).toFixed(1)} | | ${total(perService.residentMb).toFixed(0)} MB |`,
        '',
      );
    }
    const single = results.single;
    if (single) {
      const cpu = total(single.cpuMsPerSecond);
      const rss = total(single.residentMb);
      lines.push(
        `| single: process | CPU ms / s idle | ≤ ${TARGET_CPU_MS_PER_SECOND * 7} (7 × ${TARGET_CPU_MS_PER_SECOND}) | resident memory | ≤ ${TARGET_SINGLE_PROCESS_MB} MB |`,
        '| --- | ---: | --- | ---: | --- |',
        `| all seven | ${cpu.toFixed(1)} | ${cpu <= TARGET_CPU_MS_PER_SECOND * 7 ? 'met' : '**not met**'} | ${rss.toFixed(0)} MB | ${rss <= TARGET_SINGLE_PROCESS_MB ? 'met' : '**not met**'} |`,
        '',
      );
    }
    if (settings.profileDir) {
      lines.push('## Where the idle time goes (per-service mode, profiled)', '');
      for (const file of readdirSync(settings.profileDir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
        const profile = JSON.parse(readFileSync(path.join(settings.profileDir, file), 'utf8')) as CpuProfile;
        lines.push(...renderProfileSummary(file.replace(/-\d+\.cpuprofile$/, ''), summarizeProfile(profile, 10)));
      }
    }
    lines.push(`Reproduce: \`npm run bench:idle\` (BENCH_IDLE_MODES, BENCH_IDLE_SETTLE_SECONDS, BENCH_IDLE_SECONDS).`, '');
    const target = path.join(REPO_ROOT, 'bench', 'results', `idle-${new Date().toISOString().slice(0, 10)}.md`);
    writeFileSync(target, lines.join('\n'));
    console.log(`${lines.join('\n')}\nwritten to ${path.relative(REPO_ROOT, target)}`);
  } finally {
    await cleanup.run();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
