import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Namespace } from '@parking/contracts';
import { removeNamespaceStreams, type PlatformService } from '@parking/testing';
import type { Pool } from 'undici';
import type { FakeChirpStack } from '../../libs/shared/chirpstack-fake/src';
import { endpointPool } from '../ingest/open-loop';
import { PlatformUnavailable, startPlatform, type RunningPlatform } from '../ingest/platform';
import { createBenchDatabase, type BenchDatabase, type Cleanup } from '../ingest/resources';
import { benchDevices, type BenchDevice } from '../ingest/traffic';
import { enqueuedFrames } from './count-frames';
import { levelOf, seedSite } from './seed';
import type { E2eSettings } from './settings';
import { connectSigns, countSigns, LEARN_MS, secondsSince, sendEach, startFakeNetworkServer, until } from './signage-setup';
import { ZoneTraffic } from './zone-traffic';

export const GUIDANCE_SERVICES: readonly PlatformService[] = ['identity', 'ingest', 'occupancy', 'gateway', 'downlink', 'chirpstack-sync'];

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
  const lns = await startFakeNetworkServer(cleanup);

  const sensors = benchDevices(g.zones * g.spacesPerZone);
  const sensorsByZone = Array.from({ length: g.zones }, (_, zone) => sensors.filter((_, i) => levelOf(i, sensors.length, g.zones) === zone));
  const signs = countSigns(g.zones);
  const traffic = new ZoneTraffic(sensorsByZone, lns.chirpstack);
  // The route probe comes from a device nobody registered: it must not turn a sensor of the load.
  const stray = new ZoneTraffic([[{ devEui: randomBytes(8).toString('hex'), devAddr: '2f000000', name: 'stray' }]], lns.chirpstack);

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
  preparation.push(...(await connectSigns({ platform, lns, signs, zoneIds: seeded.zoneIds, sensors, signReport: (sign, gatewayId) => traffic.signReport(sign, gatewayId) })));

  began = performance.now();
  const pool = endpointPool(platform.endpoint.origin, g.connections);
  cleanup.add('close the webhook pool', () => pool.close());
  const signsShow = (count: (zone: number) => number) => {
    const newest = new Map(enqueuedFrames(lns.fake.calls).map((frame) => [frame.devEui, frame.count]));
    return signs.every((sign, zone) => newest.get(sign.devEui) === count(zone));
  };
  await sendEach(platform.endpoint, traffic.freeAll().map((uplink) => uplink.body), 'freeing every sensor');
  await until('every sign showing its full count', LEARN_MS, () => (signsShow((zone) => sensorsByZone[zone].length) ? true : undefined));
  preparation.push(`every sensor free and every sign at its full count in ${secondsSince(began)}`);

  return { platform, fake: lns.fake, database, namespace, zoneIds: seeded.zoneIds, signs, traffic, pool, preparation, signsShow };
}
