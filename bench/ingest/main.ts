// How close does the platform's webhook route come to what the bare building blocks allow?
// Measures, in one run on this machine, the sustainable open-loop rate and the latency at a
// fixed rate of: B0 a bare Fastify endpoint, B2 validate + PostgreSQL insert, B3 validate +
// JetStream publish, and P the real gateway route with identity and ingest behind it; plus
// webhook → ingest.uplink.received.v1 end to end and CPU per uplink.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { connectNats, provisionStreams } from '@parking/messaging';
import { removeNamespaceStreams } from '@parking/testing';
import { launchBaseline } from './baseline/launch';
import { BENCH_STREAM, type BaselineMode } from './baseline/modes';
import { drainConsumers } from './drain';
import { EndToEndListener } from './e2e-listener';
import { EndpointBench, type EndpointHooks, type MeasureSettings } from './measure-endpoint';
import type { Endpoint } from './open-loop';
import { PlatformUnavailable, startPlatform, WEBHOOK_PATH, WEBHOOK_RATE_LIMIT_PER_MINUTE } from './platform';
import { machineOf, renderReport, summaryTable, type BenchReport, type EndpointId, type EndpointResult } from './report';
import { Cleanup, createBenchDatabase, type BenchDatabase } from './resources';
import { readSettings, type BenchSettings } from './settings';
import { benchDevices, UplinkTraffic, type BenchDevice } from './traffic';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const DRAIN_TIMEOUT_MS = 30_000;
const BASELINES: Record<Exclude<EndpointId, 'P' | 'PR'>, BaselineMode> = { B0: 'b0', B2: 'b2', B3: 'b3' };
// After the route-alone step the paused ingest has that whole step's uplinks to work off.
const BACKLOG_DRAIN_TIMEOUT_MS = 180_000;

async function main(): Promise<void> {
  const began = performance.now();
  const loadAverage = loadavg()[0];
  const settings = readSettings();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const namespace = new Namespace(`benchingest${randomBytes(4).toString('hex')}`);
  const measure: MeasureSettings = {
    search: { startRate: settings.startRate, maxRate: settings.maxRate, minRate: 10, bisectSteps: settings.bisectSteps, precision: 0.1, confirmFailures: settings.confirmFailures },
    stepSeconds: settings.stepSeconds,
    fixedSeconds: settings.fixedSeconds,
    p99LimitMs: settings.p99LimitMs,
    connections: settings.connections,
  };
  const devices = benchDevices(settings.devices);
  const traffic = new UplinkTraffic(devices, { duplicateShare: settings.duplicateShare, invalidShare: settings.invalidShare });
  const sample = new UplinkTraffic(devices, { duplicateShare: 0, invalidShare: 0 }).take(200);
  const bodyBytes = Math.round(sample.reduce((n, u) => n + u.body.length, 0) / sample.length);

  try {
    const database = await createBenchDatabase();
    cleanup.add(`drop database ${database.name}`, () => database.drop());
    const nc: NatsConnection = await connectNats({ url: NATS_URL, name: 'bench-ingest' });
    cleanup.add('close NATS', () => nc.close());
    cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, NATS_URL));
    await provisionStreams(await jetstreamManager(nc), [BENCH_STREAM], namespace);

    const results: EndpointResult[] = [];
    let fixedRate = settings.fixedRate;
    let fixedRateOrigin = fixedRate ? 'BENCH_FIXED_RATE' : '';
    const fixedRateNow = () => {
      if (fixedRate === undefined) {
        const b2 = results.find((r) => r.id === 'B2')?.search?.sustainable;
        fixedRate = b2 ? Math.max(10, Math.round(b2 / 2)) : 250;
        fixedRateOrigin = b2 ? "half of B2's sustainable rate" : 'B2 not measured: a default of 250/s';
      }
      return fixedRate;
    };
    const baselineEndpoint = (origin: string): Endpoint => ({ origin, path: WEBHOOK_PATH, headers: { 'content-type': 'application/json' } });

    // B2 first: its rate sets the fixed rate of every other endpoint.
    const order = (['B2', 'B0', 'B3', 'P'] as const).filter((id) => settings.endpoints.includes(id) || (id === 'P' && settings.endpoints.includes('PR')));
    let platformDevices = 'P not run';
    let endToEnd: BenchReport['endToEnd'];
    for (const id of order) {
      console.log(`${id}:`);
      if (id !== 'P') {
        const server = await launchBaseline(BASELINES[id], { DATABASE_URL: database.adminUrl, NATS_URL, NATS_NAMESPACE: namespace.prefix });
        cleanup.add(`stop ${id}`, () => server.stop());
        const bench = new EndpointBench(id, baselineEndpoint(server.origin), { [BASELINES[id]]: server.pid }, traffic, measure);
        try {
          const result: EndpointResult = { id, search: await bench.searchRate() };
          results.push(result);
          result.fixed = await bench.fixedRate(fixedRateNow());
        } finally {
          await bench.close();
          await server.stop();
        }
        continue;
      }
      const outcome = await benchPlatform({ nc, namespace, database, devices, traffic, measure, settings, fixedRateNow, cleanup });
      results.push(...outcome.results);
      platformDevices = outcome.devices;
      endToEnd = outcome.endToEnd;
    }

    const date = new Date().toISOString().slice(0, 10);
    const report: BenchReport = {
      date,
      machine: machineOf(database.postgresVersion, nc.info?.version ?? 'unknown', loadAverage),
      setup: {
        devices: settings.devices,
        bodyBytes,
        duplicateShare: settings.duplicateShare,
        invalidShare: settings.invalidShare,
        connections: settings.connections,
        stepSeconds: settings.stepSeconds,
        fixedSeconds: settings.fixedSeconds,
        fixedRate: fixedRateNow(),
        fixedRateOrigin,
        p99LimitMs: settings.p99LimitMs,
        targetP99Ms: 25,
        targetRatio: 0.8,
        platformDevices,
        platformConfig: `compiled gateway, identity and ingest, one process each, LOG_LEVEL=${settings.serviceLogLevel} (accepted webhooks are not access-logged; refusals are), the tenant's webhook quota lifted (and the default quota raised to ${WEBHOOK_RATE_LIMIT_PER_MINUTE.toLocaleString('en')}/min) so it does not cap the search, though it is checked on every webhook`,
      },
      endpoints: results,
      endToEnd,
      runSeconds: (performance.now() - began) / 1000,
    };
    const markdown = renderReport(report);
    const target = path.join(REPO_ROOT, 'bench', 'results', `ingest-${date}.md`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, markdown);
    console.log(`\n${summaryTable(report).join('\n')}\n\nwritten to ${path.relative(REPO_ROOT, target)}`);
  } finally {
    await cleanup.run();
  }
}

interface PlatformRun {
  nc: NatsConnection;
  namespace: Namespace;
  database: BenchDatabase;
  devices: BenchDevice[];
  traffic: UplinkTraffic;
  measure: MeasureSettings;
  settings: BenchSettings;
  fixedRateNow: () => number;
  cleanup: Cleanup;
}

/** P: the platform started, measured like the baselines, plus webhook → uplink.received end to end. */
async function benchPlatform({ nc, namespace, database, devices, traffic, measure, settings, fixedRateNow, cleanup }: PlatformRun): Promise<{
  results: EndpointResult[];
  devices: string;
  endToEnd: BenchReport['endToEnd'];
}> {
  let platform;
  try {
    platform = await startPlatform({
      repoRoot: REPO_ROOT,
      database,
      namespace: namespace.prefix,
      devices,
      logLevel: settings.serviceLogLevel,
      probe: () => {
        for (;;) {
          const uplink = traffic.next();
          if (uplink.kind === 'valid') return uplink;
        }
      },
    });
  } catch (error) {
    const reason = error instanceof PlatformUnavailable ? error.message : `could not start: ${(error as Error).message}`;
    console.error(`  P: ${reason}`);
    return { results: [{ id: 'P', failure: reason }], devices: 'P not measured', endToEnd: undefined };
  }
  cleanup.add('stop the platform', () => platform.stop());
  console.log(`  P: devices ${platform.devices}`);
  const results: EndpointResult[] = [];
  if (settings.endpoints.includes('PR')) results.push(await benchRouteAlone(platform, { nc, namespace, traffic, measure, fixedRateNow }));
  if (!settings.endpoints.includes('P')) {
    await platform.stop();
    return { results, devices: platform.devices, endToEnd: undefined };
  }
  const listener = new EndToEndListener(nc, namespace);
  listener.start();
  let drainWorks = true;
  let expected = 0;
  const hooks: EndpointHooks = {
    // Once the consumers failed to catch up in time, waiting again would only stretch the run.
    drain: async () => {
      if (drainWorks && !(await drainConsumers(nc, namespace, DRAIN_TIMEOUT_MS))) {
        drainWorks = false;
        console.warn(`  P: consumers did not catch up within ${DRAIN_TIMEOUT_MS / 1000} s; later steps do not wait for them`);
      }
    },
    onDispatch: (uplink, scheduledAt) => {
      if (uplink.kind !== 'valid' || !uplink.deduplicationId) return;
      expected++;
      listener.expect(uplink.deduplicationId, scheduledAt);
    },
  };
  const bench = new EndpointBench('P', platform.endpoint, platform.processes, traffic, measure, hooks);
  try {
    const search = await bench.searchRate();
    const fixed = await bench.fixedRate(fixedRateNow());
    const e2e = await listener.settle(settings.e2eTimeoutMs, expected);
    console.log(`  P end to end: ${e2e.received} of ${e2e.expected} events${e2e.latency ? `, p99 ${e2e.latency.p99.toFixed(1)} ms` : ''}`);
    return {
      results: [...results, { id: 'P', search, fixed, ...(drainWorks ? {} : { failure: 'consumers fell behind' }) }],
      devices: platform.devices,
      endToEnd: e2e.received === 0 ? 'not measured' : e2e,
    };
  } finally {
    listener.stop();
    await bench.close();
    await platform.stop();
  }
}

/**
 * PR: the webhook route with the machine to itself. ingest is frozen (SIGSTOP) so it does not
 * compete for the 2 cores; accepted webhooks wait in JetStream. Afterwards ingest resumes and
 * works off the backlog before the whole platform is measured.
 */
async function benchRouteAlone(
  platform: Awaited<ReturnType<typeof startPlatform>>,
  { nc, namespace, traffic, measure, fixedRateNow }: Pick<PlatformRun, 'nc' | 'namespace' | 'traffic' | 'measure' | 'fixedRateNow'>,
): Promise<EndpointResult> {
  console.log('PR:');
  const { ingest, ...routeProcesses } = platform.processes;
  process.kill(ingest, 'SIGSTOP');
  const bench = new EndpointBench('PR', platform.endpoint, routeProcesses, traffic, measure, { drain: async () => undefined });
  try {
    const search = await bench.searchRate();
    const fixed = await bench.fixedRate(fixedRateNow());
    return { id: 'PR', search, fixed };
  } finally {
    await bench.close();
    process.kill(ingest, 'SIGCONT');
    if (!(await drainConsumers(nc, namespace, BACKLOG_DRAIN_TIMEOUT_MS))) console.warn('  PR: ingest did not work off the backlog in time');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
