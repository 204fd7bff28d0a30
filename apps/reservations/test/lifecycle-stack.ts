// The compiled gateway, identity, ingest, occupancy and reservations processes against a test
// database of their own, driven the way a client and a ChirpStack server drive them: bookings
// through the REST API, arrivals and departures as uplinks to the ChirpStack webhook. Any one
// service can be stopped and started again, to see what it settles after downtime.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { Namespace, STREAMS, type EventEnvelope } from '@parking/contracts';
import {
  createTestDatabase,
  expectEventually,
  launchService,
  removeNamespaceStreams,
  uniqueNamespace,
  type PlatformService,
  type RunningService,
  type TestDatabase,
} from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const SERVICES: readonly PlatformService[] = ['identity', 'gateway', 'ingest', 'occupancy', 'reservations'];
/** How long one service may take to hear of another's change (events, read models). */
export const SLOW = { timeoutMs: 20_000, intervalMs: 100 };

export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read field by field by the tests
  body: any;
}

/** A space of its own site and zone, with a sensor: the site's counts are the space's alone. */
export interface SensorBay {
  siteId: string;
  zoneId: string;
  spaceId: string;
  devEui: string;
}

export type SpaceState = 'free' | 'occupied' | 'reserved' | 'unknown' | 'maintenance';

/**
 * Bookings may be checked in from their start until a minute after it (or their end, when
 * sooner), and cost 1.00 a started minute: windows of seconds go through the whole lifecycle.
 */
export const MINUTE_SITE_SETTINGS = {
  taxMode: 'included',
  taxRatePercent: 0,
  checkInWindow: { beforeMinutes: 0, afterMinutes: 1 },
  noShowGraceMinutes: 1,
  cancellation: { freeUntilMinutesBefore: 0, fee: { fixed: 0 } },
};
export const PER_MINUTE_TARIFF = {
  name: 'Per started minute',
  currency: 'EUR',
  effectiveFrom: '2020-01-01',
  bands: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '00:00-24:00', incrementMinutes: 1, tiers: [{ ratePerHour: 6000 }] }],
};
export const PRICE_PER_MINUTE = 100;

export interface LifecycleStack {
  namespace: string;
  /** Owner of the tenant every bay belongs to (signed in; enterprise plan). */
  tenantId: string;
  /** A call to the gateway as the tenant's owner. */
  call(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** `call` that must answer `status`; answers the body. */
  ok(method: string, url: string, body?: unknown, status?: number, headers?: Record<string, string>): Promise<ApiAnswer['body']>;
  service(name: PlatformService): RunningService;
  /** Stops one service (SIGTERM, as a deployment does) and answers how it exited. */
  stopService(name: PlatformService): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts a stopped service again with the environment it had, once it is ready. */
  startService(name: PlatformService): Promise<void>;
  /** A new site with one zone and one space whose sensor reads free, known to the reservations service. */
  sensorBay(label: string): Promise<SensorBay>;
  /** A ChirpStack uplink of the bay's sensor saying occupied or free, accepted by the webhook. */
  uplink(bay: SensorBay, occupied: boolean): Promise<void>;
  /** Books the bay from `startInMs` from now for `durationMs`. */
  book(bay: SensorBay, startInMs: number, durationMs: number): Promise<ApiAnswer['body']>;
  reservation(id: string): Promise<ApiAnswer['body']>;
  /** Waits until occupancy shows the bay in `state`, in the space itself and in its site's and zone's counts; answers the space's state. */
  expectOccupancy(bay: SensorBay, state: SpaceState): Promise<ApiAnswer['body']>;
  /** Occupancy's newest change of the bay to `to` (its `at` is what it told the reservations service). */
  lastTransitionTo(bay: SensorBay, to: SpaceState): Promise<{ from: string; to: string; cause: string; at: string }>;
  /** The events of one reservation in the namespace's RESERVATIONS stream, in stream order. */
  reservationEvents(reservationId: string): Promise<EventEnvelope[]>;
  sql<T extends object>(query: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

/** Waits until the clock has passed `instant` plus `marginMs`. */
export async function untilPast(instant: string | Date, marginMs = 0): Promise<void> {
  const due = new Date(instant).getTime() + marginMs;
  await expectEventually(
    () => {
      if (Date.now() < due) throw new Error(`the clock has not reached ${new Date(due).toISOString()}`);
    },
    { timeoutMs: Math.max(0, due - Date.now()) + 5_000, intervalMs: 100 },
  );
}

function emptyCounts(state: SpaceState) {
  return { free: 0, occupied: 0, reserved: 0, maintenance: 0, unknown: 0, [state]: 1, total: 1 };
}

export async function startLifecycleStack(prefix: string): Promise<LifecycleStack> {
  const database: TestDatabase = await createTestDatabase();
  const scratch = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const namespace = uniqueNamespace();
  const admin = { email: `root-${randomBytes(4).toString('hex')}@platform.test`, password: `pw ${randomBytes(12).toString('base64url')} staple` };
  const envOf = (name: PlatformService): NodeJS.ProcessEnv => ({
    NATS_NAMESPACE: namespace,
    SPOOL_DIR: path.join(scratch, 'spool'),
    MAIL_DIR: path.join(scratch, 'mail'),
    BOOTSTRAP_ADMIN_EMAIL: admin.email,
    BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    ...(name === 'gateway' ? {} : { DATABASE_URL: database.urlFor(name) }),
    // The lifecycle jobs look for due bookings every second: windows of seconds are settled in time.
    ...(name === 'reservations' ? { LIFECYCLE_INTERVAL_MS: '1000' } : {}),
  });
  const services = new Map<PlatformService, RunningService>();
  let nats: NatsConnection | undefined;
  const stop = async () => {
    await nats?.close().catch(() => undefined);
    await Promise.all([...services.values()].map((service) => service.stop()));
    await removeNamespaceStreams(namespace);
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  };

  const started = await Promise.allSettled(SERVICES.map((name) => launchService(name, { env: envOf(name) })));
  for (const result of started) if (result.status === 'fulfilled') services.set(result.value.name, result.value);
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }

  const service = (name: PlatformService) => {
    const running = services.get(name);
    if (!running) throw new Error(`${name} was never started`);
    return running;
  };
  const baseUrl = service('gateway').baseUrl;
  let accessToken: string | undefined;
  const call: LifecycleStack['call'] = async (method, url, body, headers = {}) => {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok: LifecycleStack['ok'] = async (method, url, body, status = 200, headers) => {
    const answer = await call(method, url, body, headers);
    if (answer.status !== status) throw new Error(`${method} ${url}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const sql = async <T extends object>(query: string, values: unknown[] = []) => {
    const client = new Client({ connectionString: database.adminUrl });
    await client.connect();
    try {
      return (await client.query(query, values)).rows as T[];
    } finally {
      await client.end();
    }
  };

  let tenantId: string;
  let integrationToken: string;
  const applicationId = randomUUID();
  const frameCounters = new Map<string, number>();
  const webhook = (devEui: string, occupied: boolean) => {
    const fCnt = (frameCounters.get(devEui) ?? 0) + 1;
    frameCounters.set(devEui, fCnt);
    return fetch(`${baseUrl}/api/v1/webhooks/chirpstack?event=up`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integrationToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        deduplicationId: randomUUID(),
        time: new Date().toISOString(),
        deviceInfo: { tenantId: randomUUID(), applicationId, deviceName: `bay ${devEui}`, devEui, tags: {} },
        devAddr: '01020304',
        fCnt,
        // Bosch TPS110 Parking Status: port 1, one byte, 1 occupied and 0 free.
        fPort: 1,
        data: Buffer.from([occupied ? 1 : 0]).toString('base64'),
        rxInfo: [{ gatewayId: '0016c001ff10a235', rssi: -71, snr: 7.5 }],
      }),
    });
  };

  try {
    const slug = `${prefix}-${randomBytes(4).toString('hex')}`;
    const owner = await ok(
      'POST',
      '/api/v1/auth/register',
      { email: `${slug}@example.com`, password: `pw ${randomBytes(12).toString('base64url')} staple`, name: 'Owner', tenantName: `Tenant ${slug}`, tenantSlug: slug },
      201,
    );
    tenantId = owner.tenantId;
    // The enterprise plan (as the platform admin): no object limits, and room for the tests' polling.
    accessToken = (await ok('POST', '/api/v1/auth/login', { email: admin.email, password: admin.password })).accessToken;
    await ok('PUT', `/api/v1/admin/tenants/${tenantId}/plan`, { plan: 'enterprise', reason: 'e2e: room for the test objects' });
    accessToken = owner.accessToken;
    // Occupancy learns the plan's limits from identity's limits_changed event.
    await expectEventually(async () => expect(await sql('SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [tenantId])).toEqual([{ spaces: null }]), SLOW);
    integrationToken = (await ok('POST', '/api/v1/webhook-integrations', { name: 'chirpstack e2e' }, 201)).token;
    // The gateway learns the integration from identity's event; a device nobody registered is only counted.
    await expectEventually(async () => expect((await webhook(randomBytes(8).toString('hex'), false)).status).toBe(200), SLOW);
    nats = await connect({ servers: NATS_URL.split(','), name: `${prefix}-e2e` });
  } catch (error) {
    await stop();
    throw error;
  }
  const natsConnection = nats;
  const ns = new Namespace(namespace);

  const stack: LifecycleStack = {
    namespace,
    tenantId,
    call,
    ok,
    service,
    sql,
    stop,
    async stopService(name) {
      return service(name).stop();
    },
    async startService(name) {
      if (service(name).process.exitCode === null && service(name).process.signalCode === null) throw new Error(`${name} is still running`);
      services.set(name, await launchService(name, { env: envOf(name) }));
    },
    async sensorBay(label) {
      const siteId = (await ok('POST', '/api/v1/sites', { name: `${label} ${randomBytes(3).toString('hex')}`, category: 'off_street', timeZone: 'UTC' }, 201)).id;
      const zoneId = (await ok('POST', `/api/v1/sites/${siteId}/zones`, { name: 'Level 1', kind: 'level' }, 201)).id;
      const devEui = randomBytes(8).toString('hex');
      await ok('POST', '/api/v1/devices', { devEui, kind: 'sensor', codec: 'bosch-tps110', name: `${label} sensor` }, 201);
      const spaceId = (await ok('POST', '/api/v1/spaces', { siteId, zoneId, code: 'L1-01' }, 201)).id;
      // Occupancy learns the device from ingest's event; until then the assignment is a 404.
      await expectEventually(() => ok('PUT', `/api/v1/spaces/${spaceId}/sensor`, { devEui }), SLOW);
      const bay = { siteId, zoneId, spaceId, devEui };
      // A space without a reading shows unknown, also once a booking releases it.
      await stack.uplink(bay, false);
      await stack.expectOccupancy(bay, 'free');
      // The reservations service learns the site and the space from occupancy's events.
      await expectEventually(() => ok('GET', `/api/v1/sites/${siteId}/reservation-settings`), SLOW);
      await ok('PUT', `/api/v1/sites/${siteId}/reservation-settings`, MINUTE_SITE_SETTINGS);
      await ok('POST', `/api/v1/sites/${siteId}/tariffs`, PER_MINUTE_TARIFF, 201);
      const from = new Date(Date.now() + 24 * 3_600_000).toISOString();
      const to = new Date(Date.now() + 25 * 3_600_000).toISOString();
      await expectEventually(async () => {
        const availability = await ok('GET', `/api/v1/availability?siteId=${siteId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
        expect(availability.total).toBe(1);
      }, SLOW);
      return bay;
    },
    async uplink(bay, occupied) {
      const answer = await webhook(bay.devEui, occupied);
      if (answer.status !== 200) throw new Error(`the webhook refused the uplink: ${answer.status} ${await answer.text()}`);
    },
    async book(bay, startInMs, durationMs) {
      const start = Date.now() + startInMs;
      const body = { spaceId: bay.spaceId, startTime: new Date(start).toISOString(), endTime: new Date(start + durationMs).toISOString() };
      return ok('POST', '/api/v1/reservations', body, 201, { 'idempotency-key': randomUUID() });
    },
    reservation: (id) => ok('GET', `/api/v1/reservations/${id}`),
    async expectOccupancy(bay, state) {
      return expectEventually(async () => {
        const space = await ok('GET', `/api/v1/spaces/${bay.spaceId}`);
        expect(space.state.state).toBe(state);
        const availability = await ok('GET', `/api/v1/sites/${bay.siteId}/availability`);
        expect(availability.counts).toEqual(emptyCounts(state));
        expect(availability.zones.map((zone: { zoneId: string; counts: object }) => [zone.zoneId, zone.counts])).toEqual([[bay.zoneId, emptyCounts(state)]]);
        return space.state;
      }, SLOW);
    },
    async lastTransitionTo(bay, to) {
      const history = await ok('GET', `/api/v1/spaces/${bay.spaceId}/transitions`);
      const transition = history.items.find((item: { to: string }) => item.to === to);
      if (!transition) throw new Error(`space ${bay.spaceId} never changed to ${to}: ${JSON.stringify(history.items)}`);
      return transition;
    },
    async reservationEvents(reservationId) {
      const stream = ns.stream(STREAMS.RESERVATIONS.name);
      // <type: reservations.reservation.<name>.v1>.<tenant>.<reservation>
      const subject = ns.subject(`reservations.reservation.*.v1.*.${reservationId}`);
      const info = await (await jetstreamManager(natsConnection)).streams.info(stream, { subjects_filter: subject });
      const count = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
      const envelopes: EventEnvelope[] = [];
      if (count === 0) return envelopes;
      const consumer = await jetstream(natsConnection).consumers.get(stream, { filter_subjects: subject });
      const messages = await consumer.fetch({ max_messages: count, expires: 5_000 });
      for await (const message of messages) {
        envelopes.push(message.json<EventEnvelope>());
        if (envelopes.length === count) break;
      }
      return envelopes;
    },
  };
  return stack;
}

/** The events' names without the common prefix: `created`, `started`, … */
export function eventNames(envelopes: EventEnvelope[]): string[] {
  return envelopes.map((envelope) => envelope.type.replace(/^reservations\.reservation\.(.+)\.v1$/, '$1'));
}
