// How fast does a sensor's uplink become a space's new state that others can see? The whole
// stack (every service, with their relays, against a fake ChirpStack) and a tenant of 10,000
// spaces, each over its own sensor, a share of them booked and one count sign per level, so
// every uplink also reaches check-ins and signage: the sustainable rate of webhooks whose
// `occupancy.space.state_changed.v1` follows in bounded time, and webhook → event latency at a
// NATS subscriber and on the site's SSE stream; B2 (validate + INSERT) in the same run. Then
// zone guidance: webhook → a zone's count sign frame enqueued at ChirpStack, beside webhook →
// the zone's availability event (BENCH_E2E_PHASES picks the phases).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, OccupancyEvents } from '@parking/contracts';
import { connectNats } from '@parking/messaging';
import { removeNamespaceStreams, type PlatformService } from '@parking/testing';
import { v4 } from '../../libs/shared/chirpstack-events/src/test/docs-examples';
import { launchBaseline } from '../ingest/baseline/launch';
import { drainConsumers } from '../ingest/drain';
import { EndToEndListener, type EventArrivals } from '../ingest/e2e-listener';
import { EndpointBench, type MeasureSettings } from '../ingest/measure-endpoint';
import { processCpuMs } from '../ingest/proc-cpu';
import { PlatformUnavailable, startPlatform, WEBHOOK_PATH, WEBHOOK_RATE_LIMIT_PER_MINUTE, type RunningPlatform } from '../ingest/platform';
import { Cleanup, createBenchDatabase, type BenchDatabase } from '../ingest/resources';
import { readSettings as readIngestSettings } from '../ingest/settings';
import { benchDevices, UplinkTraffic, type BenchDevice, type BenchUplink } from '../ingest/traffic';
import { eventStepJudge } from './event-step';
import { chooseFixedRate } from './fixed-rate';
import { machineOf } from '../ingest/report';
import { renderReport, summaryTable, zoneGuidanceTable, type B2Run, type E2eReport, type EventLatency, type SseResult } from './report';
import { bookingStates, bookShare, BOOKING_HOURS } from './bookings';
import { enqueuedFrames } from './count-frames';
import { seedSite } from './seed';
import { connectSigns, countSigns, sendEach, startFakeNetworkServer } from './signage-setup';
import { readE2eSettings, type E2eSettings } from './settings';
import { SseEventListener } from './sse-listener';
import { benchZoneGuidance, signageEnv } from './zone-guidance-phase';
import { ZoneTraffic } from './zone-traffic';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const STATE_CHANGED = OccupancyEvents.SPACE_STATE_CHANGED_V1;
// A failed step leaves a backlog across four services; it must be gone before the next step.
const DRAIN_TIMEOUT_MS = 90_000;
const TARGETS = { ratio: 0.5, eventP99Ms: 150, sseP99Ms: 500 };
const IDLE_SECONDS = 5;
const OWNER_REQUESTS_PER_MINUTE = 100_000;
/** Every service on the path of an uplink: to the space's state, its bookings' check-ins and its level's count sign. */
const STACK_SERVICES: readonly PlatformService[] = ['identity', 'ingest', 'occupancy', 'gateway', 'reservations', 'downlink', 'chirpstack-sync'];

async function main(): Promise<void> {
  const began = performance.now();
  const loadAverage = loadavg()[0];
  const settings = readE2eSettings();
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const namespace = new Namespace(`benche2e${randomBytes(4).toString('hex')}`);
  const devices = benchDevices(settings.spaces);
  const traffic = new UplinkTraffic(devices, { duplicateShare: settings.duplicateShare, invalidShare: settings.invalidShare, alternateOccupancy: true });
  const sample = new UplinkTraffic(devices, { duplicateShare: 0, invalidShare: 0, alternateOccupancy: true }).take(200);
  const bodyBytes = Math.round(sample.reduce((n, u) => n + u.body.length, 0) / sample.length);

  try {
    const database = await createBenchDatabase('e2e');
    cleanup.add(`drop database ${database.name}`, () => database.drop());
    const nc: NatsConnection = await connectNats({ url: NATS_URL, name: 'bench-e2e' });
    cleanup.add('close NATS', () => nc.close());
    cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, NATS_URL));

    // B2 first, on a quiet machine, by the same rule as in bench:ingest.
    const ingestSettings = readIngestSettings();
    const stackPhase = settings.phases.has('stack');
    const b2: B2Run[] = stackPhase && settings.baseline ? [await benchB2(database, traffic, ingestSettings, 'before the stack')] : [];
    const run = stackPhase
      ? await benchStack({ nc, namespace, database, devices, traffic, settings, b2Rate: b2[0]?.search?.sustainable, cleanup })
      : notRun('not run (BENCH_E2E_PHASES)');
    if (stackPhase && settings.baseline) b2.push(await benchB2(database, traffic, ingestSettings, 'after the stack'));
    const zoneGuidance = settings.phases.has('zone-guidance') ? await benchZoneGuidance({ repoRoot: REPO_ROOT, nc, natsUrl: NATS_URL, settings, cleanup }) : undefined;
    const date = new Date().toISOString().slice(0, 10);
    const report: E2eReport = {
      date,
      machine: machineOf(database.postgresVersion, nc.info?.version ?? 'unknown', loadAverage),
      setup: {
        spaces: settings.spaces,
        zones: settings.zones,
        bodyBytes,
        duplicateShare: settings.duplicateShare,
        invalidShare: settings.invalidShare,
        connections: settings.connections,
        stepSeconds: settings.stepSeconds,
        fixedSeconds: settings.fixedSeconds,
        fixedRate: run.fixedRate,
        fixedRateOrigin: run.fixedRateOrigin,
        p99LimitMs: settings.p99LimitMs,
        graceMs: settings.graceMs,
        baselineRule: `sustainable = p99 < ${ingestSettings.p99LimitMs} ms in ${ingestSettings.stepSeconds}-s steps, as in bench:ingest`,
        devices: run.devices,
        seeding: run.seeding,
        mix: run.mix,
        platformConfig:
          `compiled ${STACK_SERVICES.join(', ')}, ${settings.singleProcess ? 'all in one process (PROCESS_MODE=single), each' : 'one process each'} with its outbox relay, LOG_LEVEL=${settings.serviceLogLevel}, ` +
          `ChirpStack faked in the bench's process (@parking/chirpstack-fake); the downlink service's ${Object.entries(signageEnv(settings.signIntervalMs)).map(([name, value]) => `${name}=${value}`).join(', ')}; ` +
          `the gateway's RATE_LIMIT_PER_USER raised to ${OWNER_REQUESTS_PER_MINUTE.toLocaleString('en')}/min for the owner's set-up calls (the bookings), ` +
          `the tenant's webhook quota lifted (and the default quota raised to ${WEBHOOK_RATE_LIMIT_PER_MINUTE.toLocaleString('en')}/min) so it does not cap the search, though it is checked on every webhook`,
        targets: TARGETS,
      },
      b2,
      stack: run.stack,
      event: run.event,
      uplinkReceived: run.uplinkReceived,
      alongThePath: run.alongThePath,
      sse: run.sse,
      phases: [...settings.phases],
      zoneGuidance,
      runSeconds: (performance.now() - began) / 1000,
    };
    const target = path.join(REPO_ROOT, 'bench', 'results', `e2e-${date}.md`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, renderReport(report));
    const tables = [...(stackPhase ? [summaryTable(report)] : []), ...(zoneGuidance ? [zoneGuidanceTable(zoneGuidance)] : [])];
    console.log(`\n${tables.map((table) => table.join('\n')).join('\n\n')}\n\nwritten to ${path.relative(REPO_ROOT, target)}`);
  } finally {
    await cleanup.run();
  }
}

async function benchB2(database: BenchDatabase, traffic: UplinkTraffic, ingest: ReturnType<typeof readIngestSettings>, when: B2Run['when']): Promise<B2Run> {
  console.log(`B2 ${when}:`);
  const loadAverage = loadavg()[0];
  const server = await launchBaseline('b2', { DATABASE_URL: database.adminUrl, NATS_URL });
  const measure: MeasureSettings = {
    search: { startRate: ingest.startRate, maxRate: ingest.maxRate, minRate: 10, bisectSteps: ingest.bisectSteps, precision: 0.1, confirmFailures: ingest.confirmFailures },
    stepSeconds: ingest.stepSeconds,
    fixedSeconds: ingest.fixedSeconds,
    p99LimitMs: ingest.p99LimitMs,
    connections: ingest.connections,
  };
  const bench = new EndpointBench('B2', { origin: server.origin, path: WEBHOOK_PATH, headers: { 'content-type': 'application/json' } }, { b2: server.pid }, traffic, measure);
  try {
    return { when, loadAverage, search: await bench.searchRate() };
  } catch (error) {
    return { when, loadAverage, failure: `failed: ${(error as Error).message}` };
  } finally {
    await bench.close();
    await server.stop();
  }
}

interface StackRun {
  nc: NatsConnection;
  namespace: Namespace;
  database: BenchDatabase;
  devices: BenchDevice[];
  traffic: UplinkTraffic;
  settings: E2eSettings;
  b2Rate?: number;
  cleanup: Cleanup;
}

interface StackOutcome {
  stack: E2eReport['stack'];
  event?: EventLatency;
  uplinkReceived?: EventLatency;
  sse?: SseResult;
  alongThePath?: string;
  fixedRate: number;
  fixedRateOrigin: string;
  devices: string;
  seeding: string;
  mix: string;
}

/** CPU the services use per second with no traffic at all (relays polling, timers, metrics). */
async function idleCpu(processes: Record<string, number>): Promise<Record<string, number>> {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuMs(pid)]));
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  return Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, (processCpuMs(pid) - before[name]) / IDLE_SECONDS]));
}

async function latencyOf(arrivals: EventArrivals, timeoutMs: number): Promise<EventLatency> {
  return { ...(await arrivals.settle(timeoutMs)), p99OfExpected: arrivals.quantileOfExpected(0.99) };
}

const notRun = (failure: string, extra: Partial<StackOutcome> = {}): StackOutcome => ({
  stack: { failure },
  fixedRate: 0,
  fixedRateOrigin: 'not run',
  devices: 'not registered',
  seeding: 'not seeded',
  mix: 'not set up',
  ...extra,
});

async function benchStack({ nc, namespace, database, devices, traffic, settings, b2Rate, cleanup }: StackRun): Promise<StackOutcome> {
  console.log('whole stack:');
  // The webhooks name ChirpStack's tenant of the documentation's example; the connection is to that tenant.
  const lns = await startFakeNetworkServer(cleanup, v4.up.deviceInfo.tenantId);
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      repoRoot: REPO_ROOT,
      database,
      namespace: namespace.prefix,
      devices,
      logLevel: settings.serviceLogLevel,
      services: STACK_SERVICES,
      singleProcess: settings.singleProcess,
      label: 'e2e',
      // One environment for every service; only chirpstack-sync reads its key and only the downlink service SIGNAGE_*.
      env: {
        CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64'),
        ...signageEnv(settings.signIntervalMs),
        // The owner books the mix's spaces at set-up, more than a user's 600 requests a minute.
        RATE_LIMIT_PER_USER: String(OWNER_REQUESTS_PER_MINUTE),
        ...(settings.cpuProfileDir
          ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile-preload.js')}`, BENCH_CPU_PROFILE_DIR: path.resolve(settings.cpuProfileDir) }
          : {}),
      },
      probe: () => {
        for (;;) {
          const uplink = traffic.next();
          if (uplink.kind === 'valid') return uplink;
        }
      },
    });
  } catch (error) {
    const reason = error instanceof PlatformUnavailable ? error.message : `could not start: ${(error as Error).message}`;
    console.error(`  ${reason}`);
    return notRun(reason);
  }
  cleanup.add('stop the stack', () => platform.stop());
  console.log(`  devices: ${platform.devices}`);
  if (!platform.devicesRegistered) return notRun(`devices not registered: ${platform.devices}`, { devices: platform.devices });

  let drainWorks = true;
  const drain = async () => {
    if (drainWorks && !(await drainConsumers(nc, namespace, DRAIN_TIMEOUT_MS))) {
      drainWorks = false;
      console.warn(`  consumers did not catch up within ${DRAIN_TIMEOUT_MS / 1000} s; later steps do not wait for them`);
    }
  };
  let seeding: string;
  let siteId: string;
  let mix: string;
  try {
    const seeded = await seedSite({
      baseUrl: platform.baseUrl,
      accessToken: platform.owner.accessToken,
      owner: { tenantId: platform.tenantId, userId: platform.owner.userId },
      namespace: namespace.prefix,
      natsUrl: NATS_URL,
      adminUrl: database.adminUrl,
      devices,
      zones: settings.zones,
      concurrency: settings.seedConcurrency,
    });
    siteId = seeded.siteId;
    seeding = `${seeded.via}, in ${seeded.seconds.toFixed(0)} s`;
    console.log(`  seeded: ${seeding}`);
    const signs = countSigns(settings.zones);
    const signTraffic = new ZoneTraffic([signs], lns.chirpstack);
    const signage = await connectSigns({ platform, lns, signs, zoneIds: seeded.zoneIds, sensors: devices, signReport: (sign, gatewayId) => signTraffic.signReport(sign, gatewayId) });
    console.log(`  signage: ${signage.join('; ')}`);
    // Every sensor reports free once, so the load's readings turn known spaces (and signs show real counts).
    const freeing = performance.now();
    await sendEach(platform.endpoint, traffic.freeEach().map((uplink) => uplink.body), 'freeing every sensor');
    await drain();
    console.log(`  every sensor reported free in ${((performance.now() - freeing) / 1000).toFixed(0)} s`);
    const booked = await bookShare({
      baseUrl: platform.baseUrl,
      accessToken: platform.owner.accessToken,
      adminUrl: database.adminUrl,
      siteId,
      spaces: settings.spaces,
      share: settings.bookedShare,
      concurrency: settings.seedConcurrency,
    });
    console.log(`  booked ${booked.booked} spaces in ${booked.seconds.toFixed(0)} s`);
    mix =
      `${booked.booked.toLocaleString('en')} of the ${settings.spaces.toLocaleString('en')} spaces (${(settings.bookedShare * 100).toFixed(0)} %) booked from the stack phase's start for ${BOOKING_HOURS} h ` +
      `(POST /api/v1/reservations, in ${booked.seconds.toFixed(0)} s): a booked space's next occupied reading checks its booking in, the free one after completes it; ` +
      `before that every sensor reported free once, and the load then sends each sensor once per round of all ${settings.spaces.toLocaleString('en')}, in a fresh random order each round; ` +
      `one count sign (\`count-display\`) bound to each of the ${signs.length} levels, each heard by its own gateway (${signage.join('; ')})`;
  } catch (error) {
    await platform.stop();
    return notRun(`set-up failed (site, signs, bookings): ${(error as Error).message}`, { devices: platform.devices });
  }

  const watchers = await watch(nc, namespace, `${platform.baseUrl}/api/v1/sites/${siteId}/events`, platform.owner.accessToken);
  const measure: MeasureSettings = {
    search: { startRate: settings.startRate, maxRate: settings.maxRate, minRate: 5, bisectSteps: settings.bisectSteps, precision: 0.1, confirmFailures: settings.confirmFailures },
    stepSeconds: settings.stepSeconds,
    fixedSeconds: settings.fixedSeconds,
    p99LimitMs: settings.p99LimitMs,
    connections: settings.connections,
  };
  const bench = new EndpointBench('stack', platform.endpoint, platform.processes, traffic, measure, {
    drain,
    judgeStep: () => eventStepJudge(() => watchers.events.track(), { p99LimitMs: settings.p99LimitMs, graceMs: settings.graceMs }),
    onDispatch: (uplink, scheduledAt) => watchers.expect(uplink, scheduledAt),
  });
  try {
    const loadAverage = loadavg()[0];
    const firstCall = lns.fake.calls.length;
    const search = await bench.searchRate();
    await drain();
    const idleCpuMsPerSecond = await idleCpu(platform.processes);
    console.log(`  idle: ${Object.entries(idleCpuMsPerSecond).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')} CPU ms/s`);
    const { rate, origin } = chooseFixedRate(settings.fixedRate, b2Rate, search);
    console.log(`  fixed rate ${rate}/s (${origin})`);
    const arrivals = watchers.track();
    const fixedLoadAverage = loadavg()[0];
    const profile = () => settings.cpuProfileDir && Object.values(platform.processes).forEach((pid) => process.kill(pid, 'SIGUSR2'));
    profile();
    const fixed = await bench.fixedRate(rate);
    profile();
    const seen = await watchers.results(arrivals, settings.settleTimeoutMs);
    console.log(`  NATS: ${seen.event.received} of ${seen.event.expected} events${seen.event.latency ? `, p99 ${seen.event.latency.p99.toFixed(1)} ms` : ''}`);
    const frames = enqueuedFrames(lns.fake.calls.slice(firstCall)).length;
    const states = Object.entries(await bookingStates(database.adminUrl)).map(([state, n]) => `${n} ${state}`);
    const alongThePath = `${frames} count sign frames enqueued at ChirpStack; bookings now ${states.join(', ')}`;
    console.log(`  ${alongThePath}`);
    return {
      stack: { search, loadAverage, fixed, fixedLoadAverage, idleCpuMsPerSecond, ...(drainWorks ? {} : { failure: 'consumers fell behind' }) },
      ...seen,
      alongThePath,
      fixedRate: rate,
      fixedRateOrigin: origin,
      devices: platform.devices,
      seeding,
      mix,
    };
  } finally {
    await watchers.stop();
    await bench.close();
    await platform.stop();
  }
}

interface FixedArrivals {
  nats: EventArrivals;
  uplinks: EventArrivals;
  sse?: EventArrivals;
}

/**
 * Everyone who sees a state change: a NATS subscriber of `occupancy.space.state_changed.v1`,
 * one of `ingest.uplink.received.v1` (the first half of the way, to tell where the time goes),
 * and the site's SSE stream.
 */
async function watch(nc: NatsConnection, namespace: Namespace, sseUrl: string, accessToken: string) {
  const events = new EndToEndListener(nc, namespace, STATE_CHANGED);
  events.start();
  const uplinks = new EndToEndListener(nc, namespace);
  uplinks.start();
  const sse = new SseEventListener(sseUrl, accessToken, STATE_CHANGED);
  const sseOpen = await sse.start();
  if (!sseOpen.ok) console.warn(`  SSE not available: ${sseOpen.reason}`);
  let fixed: FixedArrivals | undefined;
  return {
    events,
    /** From now on every valid uplink dispatched is awaited by all three. */
    track(): FixedArrivals {
      fixed = { nats: events.track(), uplinks: uplinks.track(), sse: sseOpen.ok ? sse.track() : undefined };
      return fixed;
    },
    expect(uplink: BenchUplink, scheduledAt: number): void {
      if (uplink.kind !== 'valid' || !uplink.deduplicationId || !fixed) return;
      fixed.nats.expect(uplink.deduplicationId, scheduledAt);
      fixed.uplinks.expect(uplink.deduplicationId, scheduledAt);
      fixed.sse?.expect(uplink.deduplicationId, scheduledAt);
    },
    async results(arrivals: FixedArrivals, timeoutMs: number): Promise<{ event: EventLatency; uplinkReceived: EventLatency; sse: SseResult }> {
      const event = await latencyOf(arrivals.nats, timeoutMs);
      const uplinkReceived = await latencyOf(arrivals.uplinks, timeoutMs);
      const sseResult: SseResult = arrivals.sse
        ? {
            ...(await latencyOf(arrivals.sse, timeoutMs)),
            messages: sse.messages,
            heartbeats: sse.heartbeats,
            reconnects: sse.reconnects,
            ...(sse.lastError ? { lastError: sse.lastError } : {}),
          }
        : { unavailable: sseOpen.ok ? 'not measured' : sseOpen.reason };
      return { event, uplinkReceived, sse: sseResult };
    },
    async stop(): Promise<void> {
      events.stop();
      uplinks.stop();
      await sse.stop();
    },
  };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
