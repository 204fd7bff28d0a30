import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Namespace } from '@parking/contracts';
import { removeNamespaceStreams, type PlatformService } from '@parking/testing';
import type { Pool } from 'undici';
import { FakeChirpStack } from '../../libs/shared/chirpstack-fake/src';
import { endpointPool, type Endpoint } from '../ingest/open-loop';
import { call, expectStatus, PlatformUnavailable, startPlatform, type RunningPlatform } from '../ingest/platform';
import { createBenchDatabase, type BenchDatabase, type Cleanup } from '../ingest/resources';
import { benchDevices, type BenchDevice } from '../ingest/traffic';
import { enqueuedFrames } from './count-frames';
import { levelOf, seedSite } from './seed';
import type { E2eSettings } from './settings';
import { ZoneTraffic } from './zone-traffic';

export const GUIDANCE_SERVICES: readonly PlatformService[] = ['identity', 'ingest', 'occupancy', 'gateway', 'downlink', 'chirpstack-sync'];
const TOKEN = `bench-e2e-${randomBytes(8).toString('hex')}`;
/** Waits for what the services learn from each other's events. */
const LEARN_MS = 60_000;
/** chirpstack-sync creates every sensor and sign in ChirpStack one by one. */
const PROVISION_MS = 300_000;

const hex6 = (n: number) => n.toString(16).padStart(6, '0');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const secondsSince = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;

/** Polls `probe` until it answers something, or gives up after `timeoutMs` with `what` in the error. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined, intervalMs = 250): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (performance.now() > deadline) throw new PlatformUnavailable(`${what} did not happen within ${timeoutMs / 1000} s`);
    await pause(intervalMs);
  }
}

/** The stack, ready for the load: every sensor free and every sign showing its zone's full count. */
export interface GuidanceStack {
  platform: RunningPlatform;
  fake: FakeChirpStack;
  database: BenchDatabase;
  namespace: Namespace;
  /** The zones' ids, zone 0 first. */
  zoneIds: string[];
  /** Each zone's count sign, zone 0 first. */
  signs: BenchDevice[];
  traffic: ZoneTraffic;
  /** Webhook connections, opened for the load. */
  pool: Pool;
  /** What was set up, and how long each part took, for the report. */
  preparation: string[];
  /** Whether every sign's newest frame at ChirpStack shows `count(zone)`. */
  signsShow(count: (zone: number) => number): boolean;
}

/**
 * The stack with signage against the fake ChirpStack: a tenant with a ChirpStack connection,
 * one site whose levels each hold `spacesPerZone` spaces over their own sensors and one count
 * sign, every device in ChirpStack, each sign bound to its level and heard by a gateway of its
 * own; then every sensor free and every sign at its level's full count, the state the load
 * starts from. Everything started is handed to `cleanup`.
 */
export async function prepareGuidanceStack(settings: E2eSettings, signage: Record<string, string>, repoRoot: string, natsUrl: string, cleanup: Cleanup): Promise<GuidanceStack> {
  const g = settings.guidance;
  const preparation: string[] = [];
  let began = performance.now();
  const namespace = new Namespace(`benchzg${randomBytes(4).toString('hex')}`);
  cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, natsUrl));
  const database = await createBenchDatabase('guidance');
  cleanup.add(`drop database ${database.name}`, () => database.drop());
  const fake = await FakeChirpStack.start({ tokens: [TOKEN] });
  cleanup.add('stop the fake ChirpStack', () => fake.stop());
  const chirpstackTenantId = randomUUID();
  const chirpstack = { tenantId: chirpstackTenantId, applicationId: fake.addApplication({ tenantId: chirpstackTenantId, name: 'parking' }) };
  const profileId = fake.addDeviceProfile({ tenantId: chirpstackTenantId, name: 'EU868', region: 'EU868' });

  const sensors = benchDevices(g.zones * g.spacesPerZone);
  const sensorsByZone = Array.from({ length: g.zones }, (_, zone) => sensors.filter((_, i) => levelOf(i, sensors.length, g.zones) === zone));
  const signs: BenchDevice[] = Array.from({ length: g.zones }, (_, zone) => ({ devEui: `70b3d5e75f${hex6(zone)}`, devAddr: `27${hex6(zone)}`, name: `L${zone} count sign` }));
  const gatewayOf = (zone: number) => `0016c001ff${hex6(zone)}`;
  const traffic = new ZoneTraffic(sensorsByZone, chirpstack);
  // The route probe comes from a device nobody registered: it must not turn a sensor of the load.
  const stray = new ZoneTraffic([[{ devEui: randomBytes(8).toString('hex'), devAddr: '2f000000', name: 'stray' }]], chirpstack);

  const platform = await startPlatform({
    repoRoot,
    database,
    namespace: namespace.prefix,
    devices: sensors,
    logLevel: settings.serviceLogLevel,
    services: GUIDANCE_SERVICES,
    label: 'guidance',
    // startPlatform hands one environment to every service; only the downlink service reads SIGNAGE_*.
    env: {
      CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64'),
      ...signage,
      ...(settings.cpuProfileDir ? { NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile-preload.js')}`, BENCH_CPU_PROFILE_DIR: path.resolve(settings.cpuProfileDir) } : {}),
    },
    probe: () => stray.take(1)[0],
  });
  cleanup.add('stop the zone-guidance stack', () => platform.stop());
  if (!platform.devicesRegistered) throw new PlatformUnavailable(`sensors not registered: ${platform.devices}`);
  preparation.push(`stack up and ${platform.devices} in ${secondsSince(began)}`);

  began = performance.now();
  const api = (method: string, url: string, body?: unknown) => call(platform.baseUrl, method, url, body, platform.owner.accessToken);
  const deviceProfiles = { 'nwave-nps405': profileId, 'count-display': profileId };
  expectStatus(
    'create the ChirpStack connection',
    await api('POST', '/api/v1/chirpstack/connections', { name: 'Bench LNS', apiUrl: fake.url, apiToken: TOKEN, chirpstackTenantId, applicationId: chirpstack.applicationId, deviceProfiles }),
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
  preparation.push(`site seeded: ${seeded.via}`);
  // Frames can be queued only for devices ChirpStack has; the sensors too, so that creating them does not run into the load.
  const everyDevice = [...signs, ...sensors].map((d) => d.devEui);
  await until('chirpstack-sync creating every sign and sensor in ChirpStack', PROVISION_MS, () => (everyDevice.every((devEui) => fake.device(devEui)) ? true : undefined), 500);
  preparation.push(`${everyDevice.length} devices in ChirpStack ${secondsSince(began)} after the connection was made`);

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
  // Each sign's own uplink names its gateway: its frames then count against that gateway's budget, not one shared by every sign of unknown gateway.
  for (const [zone, sign] of signs.entries()) await sendOne(platform.endpoint, traffic.signReport(sign, gatewayOf(zone)), `${sign.name}'s report`);
  for (const [zone, id] of displayIds.entries()) {
    await until(`the downlink service learning ${signs[zone].name}'s gateway`, LEARN_MS, async () => {
      const view = expectStatus('read a display', await api('GET', `/api/v1/displays/${id}`), 200) as { gatewayId: string | null };
      return view.gatewayId === gatewayOf(zone) ? true : undefined;
    });
  }
  preparation.push(`${signs.length} signs bound to their levels, each heard by its own gateway (GET /api/v1/displays/{id} shows it), in ${secondsSince(began)}`);

  began = performance.now();
  const pool = endpointPool(platform.endpoint.origin, g.connections);
  cleanup.add('close the webhook pool', () => pool.close());
  const signsShow = (count: (zone: number) => number) => {
    const newest = new Map(enqueuedFrames(fake.calls).map((frame) => [frame.devEui, frame.count]));
    return signs.every((sign, zone) => newest.get(sign.devEui) === count(zone));
  };
  await sendEach(platform.endpoint, traffic.freeAll().map((uplink) => uplink.body), 'freeing every sensor');
  await until('every sign showing its full count', LEARN_MS, () => (signsShow((zone) => sensorsByZone[zone].length) ? true : undefined));
  preparation.push(`every sensor free and every sign at its full count in ${secondsSince(began)}`);

  return { platform, fake, database, namespace, zoneIds: seeded.zoneIds, signs, traffic, pool, preparation, signsShow };
}

/**
 * startPlatform migrates the schemas named like its services; chirpstack-sync's schema is
 * `chirpstack`, so service names become their schemas' here.
 */
async function sendOne(endpoint: Endpoint, body: Buffer, what: string): Promise<void> {
  const response = await fetch(`${endpoint.origin}${endpoint.path}`, { method: 'POST', headers: endpoint.headers, body });
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) throw new PlatformUnavailable(`${what} answered ${response.status}: ${text.slice(0, 200)}`);
}

const SEND_CONCURRENCY = 8;
const SEND_ATTEMPTS = 3;

/**
 * Every body sent and answered 2xx, a few at a time, each tried again on a failure: the
 * preparation must reach its known state on a busy machine too (a resent body is the same
 * uplink, so ingest takes it once).
 */
async function sendEach(endpoint: Endpoint, bodies: readonly Buffer[], what: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < bodies.length; index = next++) {
      for (let attempt = 1; ; attempt++) {
        try {
          await sendOne(endpoint, bodies[index], what);
          break;
        } catch (error) {
          if (attempt >= SEND_ATTEMPTS) throw error;
          await pause(500);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: SEND_CONCURRENCY }, worker));
}
