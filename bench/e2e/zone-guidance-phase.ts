// Zone guidance: how soon after a webhook a zone's count sign gets the frame with its new
// count. The whole stack with signage (gateway, identity, ingest, occupancy, downlink,
// chirpstack-sync) against the in-process fake ChirpStack; a steady load over zones with one
// count sign each; frames read where ChirpStack takes them (`DeviceService.Enqueue`).
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { serviceSchema } from '@parking/database';
import { EU868_RX2, eu868Modulation, subBandOf, timeOnAirMs } from '@parking/downlink/signage';
import { removeNamespaceStreams, type PlatformService } from '@parking/testing';
import { FakeChirpStack } from '../../libs/shared/chirpstack-fake/src';
import { endpointPool, runOpenLoopStep, type Endpoint } from '../ingest/open-loop';
import { call, expectStatus, PlatformUnavailable, startPlatform, type RunningPlatform } from '../ingest/platform';
import { processCpuMs } from '../ingest/proc-cpu';
import { createBenchDatabase, type BenchDatabase, type Cleanup } from '../ingest/resources';
import { benchDevices, type BenchDevice } from '../ingest/traffic';
import { ZoneAvailabilityListener } from './availability-listener';
import { enqueuedFrames } from './count-frames';
import { readDownlinkTimeline } from './downlink-timeline';
import { frameRef, frameStages } from './frame-stages';
import type { ZoneGuidanceLatency, ZoneGuidanceResult } from './report';
import { levelOf, seedSite } from './seed';
import type { E2eSettings } from './settings';
import { matchReflections, summariseLatencies, type ReflectionMatch, type ZoneObservation, type ZoneWebhook } from './zone-guidance';
import { ZoneTraffic, type ZoneUplink } from './zone-traffic';

const TOKEN = `bench-e2e-${randomBytes(8).toString('hex')}`;
const SERVICES: readonly PlatformService[] = ['identity', 'ingest', 'occupancy', 'gateway', 'downlink', 'chirpstack-sync'];
export const ZONE_GUIDANCE_TARGET_P99_MS = 1_000;
/** EU868 DR6 (SF7, 250 kHz): the shortest frames, so airtime does not bind. */
const RX2_DATA_RATE = 6;
const TENANT_AIRTIME_SECONDS_PER_HOUR = 3_600;
const DUTY_CYCLE_HEADROOM_PERCENT = 0;
const HOUR_MS = 3_600_000;
/** Waits for what the services learn from each other's events. */
const LEARN_MS = 60_000;
/** chirpstack-sync creates every sensor and sign in ChirpStack one by one. */
const PROVISION_MS = 300_000;

const AVAILABILITY = '`occupancy.zone.availability_changed.v1`';
const hex6 = (n: number) => n.toString(16).padStart(6, '0');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;

/** Polls `probe` until it answers something, or gives up after `timeoutMs` with `what` in the error. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, intervalMs = 250): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (performance.now() > deadline) throw new PlatformUnavailable(`${what} did not happen within ${timeoutMs / 1000} s`);
    await pause(intervalMs);
  }
}

/** The time on air the signs may use, against the budgets the sender keeps. */
export function airtimeOf(zones: number, minFrameIntervalMs: number): ZoneGuidanceResult['setup']['airtime'] {
  const modulation = eu868Modulation(RX2_DATA_RATE);
  // The reference frame: 8 bytes, plus its text (FULL) when no space is free.
  const countFrameMs = timeOnAirMs(8, modulation);
  const fullFrameMs = timeOnAirMs(8 + 'FULL'.length, modulation);
  const perSignMsPerHour = (HOUR_MS / minFrameIntervalMs) * fullFrameMs;
  const dutyCycle = subBandOf(EU868_RX2.frequencyHz)?.dutyCycle ?? 0.01;
  return {
    dataRate: RX2_DATA_RATE,
    countFrameMs,
    fullFrameMs,
    perSignMsPerHour,
    gatewayBudgetMsPerHour: dutyCycle * HOUR_MS * (1 - DUTY_CYCLE_HEADROOM_PERCENT / 100),
    tenantMsPerHour: zones * perSignMsPerHour,
    tenantBudgetMsPerHour: TENANT_AIRTIME_SECONDS_PER_HOUR * 1000,
  };
}

export interface ZoneGuidanceRun {
  repoRoot: string;
  nc: NatsConnection;
  natsUrl: string;
  settings: E2eSettings;
  cleanup: Cleanup;
}

/** The fixed part of the setup, known before anything runs. */
function setupOf(settings: E2eSettings): ZoneGuidanceResult['setup'] {
  const g = settings.guidance;
  return {
    zones: g.zones,
    spacesPerZone: g.spacesPerZone,
    rate: g.rate,
    seconds: g.seconds,
    signage: {
      SIGNAGE_RX2_DATA_RATE: String(RX2_DATA_RATE),
      SIGNAGE_TENANT_AIRTIME_SECONDS_PER_HOUR: String(TENANT_AIRTIME_SECONDS_PER_HOUR),
      SIGNAGE_DUTY_CYCLE_HEADROOM_PERCENT: String(DUTY_CYCLE_HEADROOM_PERCENT),
      SIGNAGE_MIN_FRAME_INTERVAL_MS: String(g.minFrameIntervalMs),
    },
    airtime: airtimeOf(g.zones, g.minFrameIntervalMs),
    platformConfig: `compiled ${SERVICES.join(', ')}, one process each with its outbox relay, LOG_LEVEL=${settings.serviceLogLevel}; ChirpStack faked in the bench's process (@parking/chirpstack-fake)`,
    preparation: 'not prepared',
  };
}

export async function benchZoneGuidance(run: ZoneGuidanceRun): Promise<ZoneGuidanceResult> {
  const setup = setupOf(run.settings);
  const result: ZoneGuidanceResult = { setup, targetP99Ms: ZONE_GUIDANCE_TARGET_P99_MS };
  const a = setup.airtime;
  console.log(
    `zone guidance: ${setup.zones} zones × ${setup.spacesPerZone} spaces, one count sign each, ${setup.rate} uplinks/s for ${setup.seconds} s\n` +
      `  airtime at DR${a.dataRate}: a count frame ${a.countFrameMs.toFixed(1)} ms on air (FULL ${a.fullFrameMs.toFixed(1)} ms); one frame per ${run.settings.guidance.minFrameIntervalMs} ms is at most ` +
      `${(a.perSignMsPerHour / 1000).toFixed(0)} s an hour per sign against its gateway's ${(a.gatewayBudgetMsPerHour / 1000).toFixed(0)} s, ` +
      `${(a.tenantMsPerHour / 1000).toFixed(0)} s for all signs against the tenant's ${(a.tenantBudgetMsPerHour / 1000).toFixed(0)} s`,
  );
  if (a.perSignMsPerHour > a.gatewayBudgetMsPerHour || a.tenantMsPerHour > a.tenantBudgetMsPerHour) {
    console.warn('  the airtime budget could bind at this pacing: the latencies below may include waits for airtime');
  }
  try {
    await measure(run, result);
  } catch (error) {
    result.failure = error instanceof PlatformUnavailable ? error.message : `failed: ${(error as Error).message}`;
    console.error(`  ${result.failure}`);
  }
  return result;
}

async function measure({ repoRoot, nc, natsUrl, settings, cleanup }: ZoneGuidanceRun, result: ZoneGuidanceResult): Promise<void> {
  const g = settings.guidance;
  const steps: string[] = [];
  let began = performance.now();
  const namespace = new Namespace(`benchzg${randomBytes(4).toString('hex')}`);
  cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, natsUrl));
  const database = await createBenchDatabase('guidance');
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const fake = await FakeChirpStack.start({ tokens: [TOKEN] });
  cleanup.add('stop the fake ChirpStack', () => fake.stop());
  const chirpstack = { tenantId: randomUUID(), applicationId: '' };
  chirpstack.applicationId = fake.addApplication({ tenantId: chirpstack.tenantId, name: 'parking' });
  const profileId = fake.addDeviceProfile({ tenantId: chirpstack.tenantId, name: 'EU868', region: 'EU868' });

  const sensors = benchDevices(g.zones * g.spacesPerZone);
  const sensorsByZone = Array.from({ length: g.zones }, (_, zone) => sensors.filter((_, i) => levelOf(i, sensors.length, g.zones) === zone));
  const signs: BenchDevice[] = Array.from({ length: g.zones }, (_, zone) => ({ devEui: `70b3d5e75f${hex6(zone)}`, devAddr: `27${hex6(zone)}`, name: `L${zone} count sign` }));
  const gatewayOf = (zone: number) => `0016c001ff${hex6(zone)}`;
  const zoneOfSign = new Map(signs.map((sign, zone) => [sign.devEui, zone]));
  const traffic = new ZoneTraffic(sensorsByZone, chirpstack);
  // The route probe comes from a device nobody registered: it must not turn a sensor of the load.
  const stray = new ZoneTraffic([[{ devEui: randomBytes(8).toString('hex'), devAddr: '2f000000', name: 'stray' }]], chirpstack);

  const platform: RunningPlatform = await startPlatform({
    repoRoot,
    database: migratingSchemasOfServices(database),
    namespace: namespace.prefix,
    devices: sensors,
    logLevel: settings.serviceLogLevel,
    services: SERVICES,
    label: 'guidance',
    // startPlatform hands one environment to every service; only the downlink service reads SIGNAGE_*.
    env: { CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64'), ...result.setup.signage },
    probe: () => stray.take(1)[0],
  });
  cleanup.add('stop the zone-guidance stack', () => platform.stop());
  if (!platform.devicesRegistered) throw new PlatformUnavailable(`sensors not registered: ${platform.devices}`);
  steps.push(`stack up and ${platform.devices} in ${seconds(began)}`);

  began = performance.now();
  const api = (method: string, url: string, body?: unknown) => call(platform.baseUrl, method, url, body, platform.owner.accessToken);
  const deviceProfiles = { 'nwave-nps405': profileId, 'count-display': profileId };
  expectStatus(
    'create the ChirpStack connection',
    await api('POST', '/api/v1/chirpstack/connections', { name: 'Bench LNS', apiUrl: fake.url, apiToken: TOKEN, chirpstackTenantId: chirpstack.tenantId, applicationId: chirpstack.applicationId, deviceProfiles }),
    201,
  );
  for (const sign of signs) {
    expectStatus('register a count sign', await api('POST', '/api/v1/devices', { devEui: sign.devEui, kind: 'display', codec: 'count-display', name: sign.name }), 201);
  }
  const seeded = await seedSite({
    baseUrl: platform.baseUrl,
    accessToken: platform.owner.accessToken,
    owner: { tenantId: platform.tenantId, userId: platform.owner.userId },
    namespace: namespace.prefix,
    natsUrl,
    adminUrl: database.adminUrl,
    devices: sensors,
    zones: g.zones,
    concurrency: settings.seedConcurrency,
  });
  steps.push(`site seeded: ${seeded.via}`);
  // Frames can be queued only for devices ChirpStack has; the sensors too, so that their creation does not run into the load.
  const everyDevice = [...signs, ...sensors].map((d) => d.devEui);
  await until('chirpstack-sync creating every sign and sensor in ChirpStack', PROVISION_MS, () => (everyDevice.every((devEui) => fake.device(devEui)) ? true : undefined), 500);
  steps.push(`${everyDevice.length} devices in ChirpStack ${seconds(began)} after the connection was made`);

  began = performance.now();
  // The downlink service learns devices, sites and zones from events: a bind is 404 until it has.
  const displayIds: string[] = [];
  for (const [zone, sign] of signs.entries()) {
    const bound = await until(`binding ${sign.name}`, LEARN_MS, async () => {
      const answer = await api('POST', '/api/v1/displays', { devEui: sign.devEui, name: sign.name, target: 'zone', targetId: seeded.zoneIds[zone] });
      if (answer.status === 404) return undefined;
      return expectStatus(`bind ${sign.name}`, answer, 201) as { id: string };
    });
    displayIds.push(bound.id);
  }
  // Each sign's own uplink names its gateway: frames are then counted against that gateway's budget, not one shared 'unknown'.
  for (const [zone, sign] of signs.entries()) await sendOne(platform.endpoint, traffic.signReport(sign, gatewayOf(zone)), `${sign.name}'s report`);
  for (const [zone, id] of displayIds.entries()) {
    await until(`the downlink service learning ${signs[zone].name}'s gateway`, LEARN_MS, async () => {
      const view = expectStatus('read a display', await api('GET', `/api/v1/displays/${id}`), 200) as { gatewayId: string | null };
      return view.gatewayId === gatewayOf(zone) ? true : undefined;
    });
  }
  steps.push(`${signs.length} signs bound to their zones, each heard by its own gateway, in ${seconds(began)}`);

  // The known state the load starts from: every sensor free, every sign showing its zone's full count.
  began = performance.now();
  const pool = endpointPool(platform.endpoint.origin, g.connections);
  cleanup.add('close the webhook pool', () => pool.close());
  const freed = await runOpenLoopStep(pool, platform.endpoint, traffic.freeAll(), g.rate);
  if (freed.errors > 0) throw new PlatformUnavailable(`freeing every sensor: ${freed.errors} webhooks not answered 2xx (${JSON.stringify(freed.statuses)})`);
  const showing = (counts: (zone: number) => number) => () => {
    const newest = new Map(enqueuedFrames(fake.calls).map((frame) => [frame.devEui, frame.count]));
    return signs.every((sign, zone) => newest.get(sign.devEui) === counts(zone)) ? true : undefined;
  };
  await until('every sign showing its full count', LEARN_MS, showing((zone) => sensorsByZone[zone].length));
  steps.push(`every sensor free and every sign at its full count in ${seconds(began)}`);
  result.setup.preparation = steps.join('; ');
  console.log(`  ${steps.join('\n  ')}`);

  const zoneOfId = new Map(seeded.zoneIds.map((id, zone) => [id, zone]));
  const listener = new ZoneAvailabilityListener(nc, namespace, zoneOfId);
  listener.start();
  cleanup.add('stop the availability listener', async () => listener.stop());
  const firstCall = fake.calls.length;
  const uplinks = traffic.take(Math.round(g.rate * g.seconds));
  const webhooks: ZoneWebhook[] = [];
  // Send times are the open loop's schedule (performance.now()); frames and events carry epoch ms.
  const epochOffset = Date.now() - performance.now();
  const loadStart = Date.now();
  result.loadAverage = loadavg()[0];
  const cpuBefore = Object.fromEntries(Object.entries(platform.processes).map(([name, pid]) => [name, processCpuMs(pid)]));
  const loadBegan = performance.now();
  const outcome = await runOpenLoopStep(pool, platform.endpoint, uplinks, g.rate, {
    onDispatch: (uplink, scheduledAt) => {
      const { zone, count } = uplink as ZoneUplink;
      webhooks.push({ zone, count, sentAt: scheduledAt + epochOffset });
    },
  });
  const loadSeconds = (performance.now() - loadBegan) / 1000;
  result.cpuMsPerSecond = Object.fromEntries(Object.entries(platform.processes).map(([name, pid]) => [name, (processCpuMs(pid) - cpuBefore[name]) / loadSeconds]));
  result.webhooks = { sent: outcome.sent, errors: outcome.errors, answeredP99Ms: outcome.latency.p99, dispatchLagP99Ms: outcome.dispatchLag.p99 };
  result.settled = await until('every sign showing its final count', settings.settleTimeoutMs, showing((zone) => traffic.freeCount(zone)))
    .then(() => true)
    .catch(() => false);
  listener.stop();

  const frames: ZoneObservation[] = enqueuedFrames(fake.calls.slice(firstCall)).flatMap((frame) => {
    const zone = zoneOfSign.get(frame.devEui);
    return zone === undefined ? [] : [{ zone, count: frame.count, at: frame.at, ref: frameRef(frame.devEui, frame.hex) }];
  });
  const events = listener.observationsSince(loadStart);
  const frameMatch = matchReflections(webhooks, frames);
  const eventMatch = matchReflections(webhooks, events);
  result.frame = latencyOf(frames.length, frameMatch);
  result.event = latencyOf(events.length, eventMatch);
  // Where a frame's time went, from the points the bench and the downlink service record.
  const stages = frameStages(webhooks, frameMatch, eventMatch, await readDownlinkTimeline(database.adminUrl, new Date(loadStart - 60_000)), g.minFrameIntervalMs);
  result.stages = [
    { label: `webhook sent → ${AVAILABILITY} at the NATS subscriber`, latency: summariseLatencies(stages.toEvent) },
    { label: 'that event → the downlink service begins handling it', latency: summariseLatencies(stages.toHandled) },
    { label: "→ the sign's pacing lets its next frame go", latency: summariseLatencies(stages.pacing) },
    { label: '→ the sender pass that sends it', latency: summariseLatencies(stages.toSenderPass) },
    { label: 'sender pass → the frame enqueued at ChirpStack (through chirpstack-sync)', latency: summariseLatencies(stages.toChirpStack) },
  ];
  const p = (l?: { p50: number; p99: number; max: number }) => (l ? `p50 ${l.p50.toFixed(0)} p99 ${l.p99.toFixed(0)} max ${l.max.toFixed(0)} ms` : 'none');
  console.log(
    `  ${outcome.sent} webhooks (${outcome.errors} not 2xx, answered p99 ${outcome.latency.p99.toFixed(1)} ms); ${result.settled ? 'every sign ended on its final count' : 'NOT every sign ended on its final count'}\n` +
      `  webhook → availability event: ${result.event.reflecting} of ${events.length} events reflect new webhooks, ${p(result.event.latency)}\n` +
      `  webhook → frame at ChirpStack: ${result.frame.reflecting} of ${frames.length} frames reflect new webhooks, ${p(result.frame.latency)}\n` +
      `    (${stages.toEvent.length} of them split by stage)\n` +
      result.stages.map((stage) => `    of which ${stage.label}: ${p(stage.latency)}`).join('\n'),
  );
}

/**
 * startPlatform migrates the schemas named like its services; chirpstack-sync's schema is
 * `chirpstack`, so service names become their schemas' here.
 */
function migratingSchemasOfServices(database: BenchDatabase): BenchDatabase {
  return { ...database, migratePlatform: (root, services) => database.migratePlatform(root, services?.map((service) => serviceSchema(service).schema)) };
}

function latencyOf(observations: number, match: ReflectionMatch): ZoneGuidanceLatency {
  return { observations, reflecting: match.reflections.length, unreflected: match.unreflected, latency: summariseLatencies(match.reflections.map((r) => r.latencyMs)) };
}

async function sendOne(endpoint: Endpoint, body: Buffer, what: string): Promise<void> {
  const response = await fetch(`${endpoint.origin}${endpoint.path}`, { method: 'POST', headers: endpoint.headers, body });
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) throw new PlatformUnavailable(`${what} answered ${response.status}: ${text.slice(0, 200)}`);
}
