// `npm run bench:city` (not in CI): a city of 1,000,000 parking sensors, each reporting every
// 5 minutes on average (3,333 uplinks/s) with a morning rush of BENCH_CITY_RUSH times that,
// scaled down by BENCH_CITY_SCALE to fit one machine: the whole stack (seven services, one
// process each) under the scaled average, then the scaled rush, then rates 1.5 times higher
// each step until a step fails (p99 over 1 s, a webhook not answered 2xx, or more than 5 s of
// load left behind in JetStream or the outboxes). Each step's CPU per uplink of every service,
// PostgreSQL and NATS gives the replicas the full city needs; the city's tenants (Zipf-sized)
// give how evenly consumers partitioned by tenant or by space would share the load.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { connectNats } from '@parking/messaging';
import { ALL_SERVICES, removeNamespaceStreams } from '@parking/testing';
import { consumerBacklog, outboxBacklog, drainConsumers } from '../ingest/drain';
import { endpointPool, runOpenLoopStep, type StepOutcome } from '../ingest/open-loop';
import { startPlatform } from '../ingest/platform';
import { cpuOfProcessesNamedMs, processCpuMs } from '../ingest/proc-cpu';
import { machineOf } from '../ingest/report';
import { Cleanup, createBenchDatabase } from '../ingest/resources';
import { positiveNumber } from '../ingest/settings';
import { benchDevices, UplinkTraffic } from '../ingest/traffic';
import { seedSite } from '../e2e/seed';
import { cityRate, partitionSkew, replicasFor, zipfTenants } from './model';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const CITY_SENSORS = 1_000_000;
const INTERVAL_SECONDS = 300;
const P99_LIMIT_MS = 1_000;
const BEHIND_SECONDS = 5;

interface Step {
  phase: string;
  outcome: StepOutcome;
  /** JetStream messages and outbox rows not yet delivered after the step. */
  behind: number;
  /** CPU ms per uplink sent, per component. */
  cpuMsPerUplink: Record<string, number>;
  passed: boolean;
}

async function main(): Promise<void> {
  const env = process.env;
  const scale = positiveNumber(env, 'BENCH_CITY_SCALE', 250);
  const rush = positiveNumber(env, 'BENCH_CITY_RUSH', 3);
  const stepSeconds = positiveNumber(env, 'BENCH_CITY_STEP_SECONDS', 30);
  const maxRate = positiveNumber(env, 'BENCH_CITY_MAX_RATE', 600);
  const tenants = Math.round(positiveNumber(env, 'BENCH_CITY_TENANTS', 40));
  const sensors = Math.round(CITY_SENSORS / scale);
  const average = cityRate(sensors, INTERVAL_SECONDS);
  const loadAverage = loadavg()[0];
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const namespace = new Namespace(`benchcity${randomBytes(4).toString('hex')}`);
  try {
    const database = await createBenchDatabase('city');
    cleanup.add(`drop database ${database.name}`, () => database.drop());
    const nc: NatsConnection = await connectNats({ url: NATS_URL, name: 'bench-city' });
    cleanup.add('close NATS', () => nc.close());
    cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, NATS_URL));
    const devices = benchDevices(sensors);
    const traffic = new UplinkTraffic(devices, { duplicateShare: 0.02, invalidShare: 0, alternateOccupancy: true });
    const platform = await startPlatform({
      repoRoot: REPO_ROOT,
      database,
      namespace: namespace.prefix,
      devices,
      logLevel: 'warn',
      services: ALL_SERVICES,
      label: 'city',
      env: { CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64') },
      probe: () => traffic.next(),
    });
    cleanup.add('stop the platform', () => platform.stop());
    const seeded = await seedSite({
      baseUrl: platform.baseUrl,
      accessToken: platform.owner.accessToken,
      owner: { tenantId: platform.tenantId, userId: platform.owner.userId },
      namespace: namespace.prefix,
      natsUrl: NATS_URL,
      adminUrl: database.adminUrl,
      devices,
      zones: 20,
      concurrency: 16,
    });
    console.log(`stack up (${platform.devices}); ${seeded.via}; the city at 1/${scale}: ${sensors} sensors, ${average.toFixed(1)} uplinks/s on average, rush ×${rush}`);
    await drainConsumers(nc, namespace, 120_000);
    const pool = endpointPool(platform.baseUrl, 64);
    cleanup.add('close the webhook connections', () => pool.close());

    const components = (): Record<string, number> => ({
      ...Object.fromEntries(Object.entries(platform.processes).map(([name, pid]) => [name, processCpuMs(pid)])),
      postgres: cpuOfProcessesNamedMs('postgres'),
      'nats-server': cpuOfProcessesNamedMs('nats-server'),
    });
    const steps: Step[] = [];
    const run = async (phase: string, rate: number): Promise<Step> => {
      const before = components();
      const outcome = await runOpenLoopStep(pool, platform.endpoint, traffic.take(Math.round(rate * stepSeconds)), rate);
      const after = components();
      const behind = (await consumerBacklog(nc, namespace)) + (await outboxBacklog(database.adminUrl));
      const cpuMsPerUplink = Object.fromEntries(Object.keys(after).map((name) => [name, (after[name] - before[name]) / Math.max(outcome.sent, 1)]));
      const passed = outcome.errors === 0 && outcome.latency.p99 < P99_LIMIT_MS && behind <= rate * BEHIND_SECONDS;
      const step = { phase, outcome, behind, cpuMsPerUplink, passed };
      steps.push(step);
      console.log(`  ${phase} ${rate.toFixed(1)}/s: p99 ${outcome.latency.p99.toFixed(1)} ms, errors ${outcome.errors}, behind ${behind}: ${passed ? 'keeps up' : 'saturated'}`);
      await drainConsumers(nc, namespace, 120_000);
      return step;
    };
    await run('average', average);
    const rushStep = await run('morning rush', average * rush);
    for (let rate = average * rush * 1.5; rate <= maxRate; rate *= 1.5) {
      if (!(await run('search', rate)).passed) break;
    }

    const sustained = steps.filter((s) => s.passed).at(-1);
    const saturated = steps.find((s) => !s.passed);
    const cityAverage = cityRate(CITY_SENSORS, INTERVAL_SECONDS);
    const cityRush = cityAverage * rush;
    // A loaded replica batches more per transaction than an idle one: the cost at the highest rate that kept up is what a city's replicas see.
    const costs = (sustained ?? rushStep).cpuMsPerUplink;
    const multiCore = new Set(['postgres', 'nats-server']);
    const machine = machineOf(database.postgresVersion, nc.info?.version ?? 'unknown', loadAverage);
    const date = new Date().toISOString().slice(0, 10);
    const sizes = zipfTenants(CITY_SENSORS, tenants);
    const lines = [
      `# A city of ${CITY_SENSORS.toLocaleString('en')} sensors, at 1/${scale} (${date})`,
      '',
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}, nats-server ${machine.nats}; load average when the run began ${loadAverage.toFixed(2)}.`,
      `Stack: the seven services, compiled, one process each, LOG_LEVEL=warn; one tenant, one site of 20 levels, ${sensors} spaces each over its own Nwave NPS405.`,
      `Load: ChirpStack v4 \`up\` webhooks, each sensor alternating occupied and free (every uplink changes a space: the heavy case), 2 % exact resends; open loop, ${stepSeconds} s a step, the backlog drained between steps.`,
      `A step keeps up when its p99 is under ${P99_LIMIT_MS} ms, every webhook is answered 2xx, and at its end no more than ${BEHIND_SECONDS} s of load waits in JetStream and the outboxes.`,
      '',
      '| step | uplinks/s | city equivalent | p50 | p99 | not 2xx | left behind | |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...steps.map(
        (s) =>
          `| ${s.phase} | ${s.outcome.rate.toFixed(1)} | ${Math.round(s.outcome.rate * scale).toLocaleString('en')}/s | ${s.outcome.latency.p50.toFixed(1)} ms | ${s.outcome.latency.p99.toFixed(1)} ms | ${s.outcome.errors} | ${s.behind} | ${s.passed ? 'keeps up' : '**saturated**'} |`,
      ),
      '',
      `This machine keeps up to ${sustained ? `${sustained.outcome.rate.toFixed(0)} uplinks/s` : 'none of the steps'}${saturated ? ` and saturates at ${saturated.outcome.rate.toFixed(0)}/s` : ` (no step up to ${maxRate}/s saturated it)`}: a city of ${sustained ? Math.round((sustained.outcome.rate * INTERVAL_SECONDS) / rush).toLocaleString('en') : '—'} sensors with its rush, on 2 cores shared by all seven services, PostgreSQL and NATS.`,
      '',
      `## Replicas for the whole city: ${Math.round(cityAverage).toLocaleString('en')} uplinks/s on average, ${Math.round(cityRush).toLocaleString('en')}/s in the rush`,
      '',
      `CPU per uplink as measured at ${(sustained ?? rushStep).outcome.rate.toFixed(0)} uplinks/s, the highest rate this machine kept up with (per step below: the cost falls as load grows, since batches fill). A Node service is one thread: a replica is a core, kept 60 % busy. PostgreSQL and NATS use many cores: their figure is cores.`,
      '',
      '| component | CPU ms per uplink | average | rush |',
      '| --- | ---: | ---: | ---: |',
      ...Object.entries(costs)
        .sort(([, a], [, b]) => b - a)
        .map(([name, ms]) =>
          multiCore.has(name)
            ? `| ${name} | ${ms.toFixed(3)} | ${((cityAverage * ms) / 1000).toFixed(1)} cores | ${((cityRush * ms) / 1000).toFixed(1)} cores |`
            : `| ${name} | ${ms.toFixed(3)} | ${replicasFor(cityAverage, ms)} replicas | ${replicasFor(cityRush, ms)} replicas |`,
        ),
      '',
      `| uplinks/s | ${Object.keys(costs).join(' | ')} |`,
      `| ---: | ${Object.keys(costs).map(() => '---:').join(' | ')} |`,
      ...steps.map((s) => `| ${s.outcome.rate.toFixed(1)} | ${Object.keys(costs).map((name) => s.cpuMsPerUplink[name].toFixed(2)).join(' | ')} |`),
      '',
      `## Partitioned consumers: the busiest one's load over an even share`,
      '',
      `${tenants} tenants of Zipf sizes (the largest ${sizes[0].toLocaleString('en')} sensors, the smallest ${sizes[sizes.length - 1].toLocaleString('en')}); each sensor the same rate. Subjects carry the tenant and the device, so a consumer may be given a share of tenants or a share of spaces.`,
      '',
      '| consumers | by tenant | by space |',
      '| ---: | ---: | ---: |',
      ...[2, 4, 8, 16, 32].map((n) => partitionSkew(sizes, n)).map((s) => `| ${s.partitions} | ${s.byTenant.toFixed(2)} | ${s.bySpace.toFixed(3)} |`),
      '',
      'Reproduce: `npm run bench:city` (BENCH_CITY_SCALE, BENCH_CITY_RUSH, BENCH_CITY_STEP_SECONDS, BENCH_CITY_MAX_RATE, BENCH_CITY_TENANTS).',
      '',
    ];
    const target = path.join(REPO_ROOT, 'bench', 'results', `city-${date}.md`);
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
