// `npm run bench:import` (not in CI): how long until a device import is known where it is used.
// The whole stack (all seven services) takes one POST /api/v1/devices/import of
// BENCH_IMPORT_DEVICES (10,000) sensors; the bench times the answer, then the moment occupancy
// holds every sensor (it needs them before a space can be given one) and the moment the
// downlink service and chirpstack-sync hold every device, all learnt from ingest's device
// events, beside the moment ingest's outbox relay had published them all, and the CPU each
// process spent per device until then.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Namespace } from '@parking/contracts';
import { ALL_SERVICES, removeNamespaceStreams } from '@parking/testing';
import { Client } from 'pg';
import { registerDevices, startPlatform } from '../ingest/platform';
import { cpuOfProcessesNamedMs, processCpuMs } from '../ingest/proc-cpu';
import { machineOf } from '../ingest/report';
import { Cleanup, createBenchDatabase } from '../ingest/resources';
import { positiveNumber } from '../ingest/settings';
import { benchDevices, UplinkTraffic } from '../ingest/traffic';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const TIMEOUT_MS = 300_000;
/** The target: every imported sensor known to occupancy within this many seconds of the request. */
const TARGET_SECONDS = 5;

/** Polls `query` (one row, column n) until it reaches `count`; answers performance.now() then. */
async function reached(client: Client, query: string, values: unknown[], count: number): Promise<number | undefined> {
  const until = performance.now() + TIMEOUT_MS;
  while (performance.now() < until) {
    const { rows } = await client.query<{ n: number }>(query, values);
    if (Number(rows[0]?.n) >= count) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/** CPU ms so far of each service process, of nats-server and of every PostgreSQL process. */
function cpuByProcess(services: Record<string, number>): Record<string, number> {
  const byName: Record<string, number> = Object.fromEntries(Object.entries(services).map(([name, pid]) => [name, processCpuMs(pid)]));
  return { ...byName, PostgreSQL: cpuOfProcessesNamedMs('postgres'), 'nats-server': cpuOfProcessesNamedMs('nats-server') };
}

/** Waits (up to 30 s) until every service has written its profile. */
async function profilesWritten(dir: string, count: number): Promise<void> {
  const until = performance.now() + 30_000;
  while (readdirSync(dir).filter((file) => file.endsWith('.cpuprofile')).length < count && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const count = Math.round(positiveNumber(process.env, 'BENCH_IMPORT_DEVICES', 10_000));
  const profileDir = process.env.BENCH_IMPORT_CPU_PROFILE_DIR ? path.resolve(process.env.BENCH_IMPORT_CPU_PROFILE_DIR) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const loadAverage = loadavg()[0];
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const namespace = new Namespace(`benchimport${randomBytes(4).toString('hex')}`);
  try {
    const database = await createBenchDatabase('import');
    cleanup.add(`drop database ${database.name}`, () => database.drop());
    cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, NATS_URL));
    const devices = benchDevices(count);
    const traffic = new UplinkTraffic(devices, { duplicateShare: 0, invalidShare: 0, alternateOccupancy: true });
    const admin = new Client({ connectionString: database.adminUrl });
    await admin.connect();
    cleanup.add('close the admin connection', () => admin.end());
    // The platform with no devices; the import is sent below, with the CPU counted around it.
    const platform = await startPlatform({
      repoRoot: REPO_ROOT,
      database,
      namespace: namespace.prefix,
      devices: [],
      logLevel: 'info',
      services: ALL_SERVICES,
      label: 'import',
      env: {
        CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64'),
        ...(profileDir ? { NODE_OPTIONS: `--require ${path.join(__dirname, '..', 'e2e', 'cpu-profile-preload.js')}`, BENCH_CPU_PROFILE_DIR: profileDir } : {}),
      },
      probe: () => traffic.next(),
    });
    cleanup.add('stop the platform', () => platform.stop());
    // SIGUSR2 starts each service's profiler (cpu-profile-preload), and again writes its profile.
    const toggleProfiles = () => profileDir && Object.values(platform.processes).forEach((pid) => process.kill(pid, 'SIGUSR2'));
    toggleProfiles();
    const cpuBefore = cpuByProcess(platform.processes);
    const registered = await registerDevices(platform.baseUrl, platform.owner.accessToken, namespace.prefix, { tenantId: platform.tenantId, userId: platform.owner.userId }, devices, 'import');
    if (!registered.ok) throw new Error(`devices not registered: ${registered.note}`);
    // From the attempt that went through (ingest may refuse until it has learnt the tenant's plan).
    const { sentAt, answeredAt } = registered.timing;
    const [publishedAt, occupancyAt, downlinkAt, chirpstackAt] = await Promise.all([
      // The relay's side: nothing of the import left unpublished (count 1 once none is left).
      reached(admin, 'SELECT (count(*) = 0)::int AS n FROM ingest.outbox WHERE published_at IS NULL', [], 1),
      reached(admin, 'SELECT count(*)::int AS n FROM occupancy.sensors WHERE tenant_id = $1 AND NOT removed', [platform.tenantId], count),
      reached(admin, 'SELECT count(*)::int AS n FROM downlink.devices WHERE tenant_id = $1 AND NOT removed', [platform.tenantId], count),
      reached(admin, 'SELECT count(*)::int AS n FROM chirpstack.devices WHERE tenant_id = $1 AND NOT removed', [platform.tenantId], count),
    ]);
    const cpu = Object.entries(cpuByProcess(platform.processes)).map(([name, ms]) => [name, (ms - (cpuBefore[name] ?? 0)) / count] as const);
    toggleProfiles();
    if (profileDir) await profilesWritten(profileDir, Object.keys(platform.processes).length);
    const seconds = (at: number | undefined) => (at === undefined ? `not within ${TIMEOUT_MS / 1000} s` : `${((at - sentAt) / 1000).toFixed(2)} s`);
    const occupancySeconds = occupancyAt === undefined ? Infinity : (occupancyAt - sentAt) / 1000;
    const machine = machineOf(database.postgresVersion, 'see NATS_URL', loadAverage);
    const date = new Date().toISOString().slice(0, 10);
    const lines = [
      `# Device import → known to the services (${date})`,
      '',
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}; load average when the run began ${loadAverage.toFixed(2)}.`,
      `Stack: the seven services, compiled, one process each, LOG_LEVEL=info. ${registered.note}, in one request.`,
      '',
      '| from the import request to | time | target |',
      '| --- | ---: | ---: |',
      `| the import's answer (ingest's registry and outbox) | ${seconds(answeredAt)} | |`,
      `| every device event published to JetStream (ingest's outbox relay) | ${seconds(publishedAt)} | |`,
      `| every sensor known to occupancy | ${seconds(occupancyAt)} | ≤ ${TARGET_SECONDS} s: ${occupancySeconds <= TARGET_SECONDS ? 'met' : 'not met'} |`,
      `| every device known to the downlink service | ${seconds(downlinkAt)} | |`,
      `| every device waiting in chirpstack-sync for ChirpStack | ${seconds(chirpstackAt)} | |`,
      '',
      `CPU per imported device from the request until every service above held it (the whole machine's work, /proc): ${cpu.map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`).join(', ')}.`,
      '',
      'Reproduce: `npm run bench:import` (BENCH_IMPORT_DEVICES; BENCH_IMPORT_CPU_PROFILE_DIR=dir writes a CPU profile of each service over the same window, `node dist/bench/profile/main.js dir` sums them up).',
      '',
    ];
    const target = path.join(REPO_ROOT, 'bench', 'results', `import-${date}.md`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, lines.join('\n'));
    console.log(`\n${lines.join('\n')}\nwritten to ${path.relative(REPO_ROOT, target)}`);
  } finally {
    await cleanup.run();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
