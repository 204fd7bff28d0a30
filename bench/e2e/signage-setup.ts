import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { FakeChirpStack } from '../../libs/shared/chirpstack-fake/src';
import type { Endpoint } from '../ingest/open-loop';
import { call, expectStatus, PlatformUnavailable, type RunningPlatform } from '../ingest/platform';
import type { Cleanup } from '../ingest/resources';
import type { BenchDevice } from '../ingest/traffic';

/** Waits for what the services learn from each other's events. */
export const LEARN_MS = 60_000;
/** chirpstack-sync creates every sensor and sign in ChirpStack one by one. */
const PROVISION_MS = 300_000;

const hex6 = (n: number) => n.toString(16).padStart(6, '0');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const secondsSince = (since: number) => `${((performance.now() - since) / 1000).toFixed(0)} s`;

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

/** One count sign per zone, zone 0 first. */
export function countSigns(zones: number): BenchDevice[] {
  return Array.from({ length: zones }, (_, zone) => ({ devEui: `70b3d5e75f${hex6(zone)}`, devAddr: `27${hex6(zone)}`, name: `L${zone} count sign` }));
}

/** The gateway that hears zone `zone`'s sign, and no other sign: each sign has its own duty-cycle budget. */
export const signGateway = (zone: number) => `0016c001ff${hex6(zone)}`;

/** The ChirpStack the signs' frames go to, faked in the bench's process, with one application and device profile. */
export interface FakeNetworkServer {
  fake: FakeChirpStack;
  token: string;
  /** ChirpStack's own ids, as the webhooks' deviceInfo carries them. */
  chirpstack: { tenantId: string; applicationId: string };
  profileId: string;
}

/** `chirpstackTenantId`: the tenant the webhooks name (default a fresh one). */
export async function startFakeNetworkServer(cleanup: Cleanup, chirpstackTenantId: string = randomUUID()): Promise<FakeNetworkServer> {
  const token = `bench-e2e-${randomBytes(8).toString('hex')}`;
  const fake = await FakeChirpStack.start({ tokens: [token] });
  cleanup.add('stop the fake ChirpStack', () => fake.stop());
  const applicationId = fake.addApplication({ tenantId: chirpstackTenantId, name: 'parking' });
  const profileId = fake.addDeviceProfile({ tenantId: chirpstackTenantId, name: 'EU868', region: 'EU868' });
  return { fake, token, chirpstack: { tenantId: chirpstackTenantId, applicationId }, profileId };
}

/**
 * Signage on a running platform whose site is seeded: the tenant's ChirpStack connection to
 * the fake, one count sign per zone registered and bound to its zone, every device (the
 * sensors too, so that creating them does not run into a load) in ChirpStack, and each sign
 * heard by its own gateway (its own uplink names it). Answers what was done, and how long
 * it took, for the report.
 */
export async function connectSigns(options: {
  platform: RunningPlatform;
  lns: FakeNetworkServer;
  signs: readonly BenchDevice[];
  zoneIds: readonly string[];
  sensors: readonly BenchDevice[];
  /** The body of `sign`'s own uplink as `gatewayId` hears it. */
  signReport: (sign: BenchDevice, gatewayId: string) => Buffer;
}): Promise<string[]> {
  const { platform, lns, signs, zoneIds } = options;
  const preparation: string[] = [];
  const api = (method: string, url: string, body?: unknown) => call(platform.baseUrl, method, url, body, platform.owner.accessToken);
  let began = performance.now();
  const deviceProfiles = { 'nwave-nps405': lns.profileId, 'count-display': lns.profileId };
  expectStatus(
    'create the ChirpStack connection',
    await api('POST', '/api/v1/chirpstack/connections', {
      name: 'Bench LNS',
      apiUrl: lns.fake.url,
      apiToken: lns.token,
      chirpstackTenantId: lns.chirpstack.tenantId,
      applicationId: lns.chirpstack.applicationId,
      deviceProfiles,
    }),
    201,
  );
  for (const sign of signs) {
    expectStatus('register a count sign', await api('POST', '/api/v1/devices', { devEui: sign.devEui, kind: 'display', codec: 'count-display', name: sign.name }), 201);
  }
  // Frames can be queued only for devices ChirpStack has.
  const everyDevice = [...signs, ...options.sensors].map((d) => d.devEui);
  await until('chirpstack-sync creating every sign and sensor in ChirpStack', PROVISION_MS, () => (everyDevice.every((devEui) => lns.fake.device(devEui)) ? true : undefined), 500);
  preparation.push(`${everyDevice.length} devices in ChirpStack ${secondsSince(began)} after the connection was made`);

  began = performance.now();
  // The downlink service learns devices, sites and zones from events: a bind is 404 until it has.
  const displayIds: string[] = [];
  for (const [zone, sign] of signs.entries()) {
    const bound = await until(`binding ${sign.name}`, LEARN_MS, async () => {
      const answer = await api('POST', '/api/v1/displays', { devEui: sign.devEui, name: sign.name, target: 'zone', targetId: zoneIds[zone] });
      if (answer.status === 404) return undefined;
      return expectStatus(`bind ${sign.name}`, answer, 201) as { id: string };
    });
    displayIds.push(bound.id);
  }
  // Each sign's own uplink names its gateway: its frames then count against that gateway's budget, not one shared by every sign of unknown gateway.
  for (const [zone, sign] of signs.entries()) await sendOne(platform.endpoint, options.signReport(sign, signGateway(zone)), `${sign.name}'s report`);
  for (const [zone, id] of displayIds.entries()) {
    await until(`the downlink service learning ${signs[zone].name}'s gateway`, LEARN_MS, async () => {
      const view = expectStatus('read a display', await api('GET', `/api/v1/displays/${id}`), 200) as { gatewayId: string | null };
      return view.gatewayId === signGateway(zone) ? true : undefined;
    });
  }
  preparation.push(`${signs.length} signs bound to their levels, each heard by its own gateway (GET /api/v1/displays/{id} shows it), in ${secondsSince(began)}`);
  return preparation;
}

export async function sendOne(endpoint: Endpoint, body: Buffer, what: string): Promise<void> {
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
export async function sendEach(endpoint: Endpoint, bodies: readonly Buffer[], what: string): Promise<void> {
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
