// `npm run bench:import` (not in CI): how long until a device import is known where it is used.
// The whole stack (all seven services) takes one POST /api/v1/devices/import of
// BENCH_IMPORT_DEVICES (10,000) sensors; the bench times the answer, then the moment occupancy
// holds every sensor (it needs them before a space can be given one) and the moment the
// downlink service holds every device, both learnt from ingest's device events.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Namespace } from '@parking/contracts';
import { ALL_SERVICES, removeNamespaceStreams } from '@parking/testing';
import { Client } from 'pg';
import { startPlatform } from '../ingest/platform';
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

async function main(): Promise<void> {
  const count = Math.round(positiveNumber(process.env, 'BENCH_IMPORT_DEVICES', 10_000));
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
    const platform = await startPlatform({
      repoRoot: REPO_ROOT,
      database,
      namespace: namespace.prefix,
      devices,
      logLevel: 'info',
      services: ALL_SERVICES,
      label: 'import',
      env: { CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64') },
      probe: () => traffic.next(),
    });
    cleanup.add('stop the platform', () => platform.stop());
    if (!platform.devicesRegistered) throw new Error(`devices not registered: ${platform.devices}`);
    const { sentAt, answeredAt } = platform.registration;
    const [occupancyAt, downlinkAt] = await Promise.all([
      reached(admin, 'SELECT count(*)::int AS n FROM occupancy.sensors WHERE tenant_id = $1 AND NOT removed', [platform.tenantId], count),
      reached(admin, 'SELECT count(*)::int AS n FROM downlink.devices WHERE tenant_id = $1 AND NOT removed', [platform.tenantId], count),
    ]);
    const seconds = (at: number | undefined) => (at === undefined ? `not within ${TIMEOUT_MS / 1000} s` : `${((at - sentAt) / 1000).toFixed(2)} s`);
    const occupancySeconds = occupancyAt === undefined ? Infinity : (occupancyAt - sentAt) / 1000;
    const machine = machineOf(database.postgresVersion, 'see NATS_URL', loadAverage);
    const date = new Date().toISOString().slice(0, 10);
    const lines = [
      `# Device import → known to the services (${date})`,
      '',
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}; load average when the run began ${loadAverage.toFixed(2)}.`,
      `Stack: the seven services, compiled, one process each, LOG_LEVEL=info. ${platform.devices}, in one request.`,
      '',
      '| from the import request to | time | target |',
      '| --- | ---: | ---: |',
      `| the import's answer (ingest's registry and outbox) | ${seconds(answeredAt)} | |`,
      `| every sensor known to occupancy | ${seconds(occupancyAt)} | ≤ ${TARGET_SECONDS} s: ${occupancySeconds <= TARGET_SECONDS ? 'met' : 'not met'} |`,
      `| every device known to the downlink service | ${seconds(downlinkAt)} | |`,
      '',
      'Reproduce: `npm run bench:import` (BENCH_IMPORT_DEVICES).',
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
