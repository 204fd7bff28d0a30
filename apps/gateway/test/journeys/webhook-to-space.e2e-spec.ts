/**
 * End to end from the ChirpStack webhook to the state of a space, through the compiled
 * gateway, identity, ingest and occupancy, each in its own process and then all in one
 * (real PostgreSQL with RLS, NATS): real
 * Nwave NPS405 and Bosch TPS110 frames turn their spaces occupied, then free, and the REST
 * API, the transitions route, the site snapshot, the site's SSE stream and
 * `occupancy.space.state_changed.v1` show it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { EventEnvelope, OccupancyEvents } from '@parking/contracts';
import { expectEventually, openEventStream, removeNamespaceStreams, uniqueNamespace, type EventStream, type SseMessage } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from '../api-stack';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const SLOW = { timeoutMs: 20_000, intervalMs: 100 };

function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * Each sensor with its vendor's occupied frame and a free frame. The occupied frames are the
 * vendors' own examples (the TTN device repository, kept in libs/ingest/codecs/src/fixtures,
 * which the gateway may not import); the vendors give no free example, so those are built
 * from their formats.
 */
const SENSORS = [
  {
    codec: 'nwave-nps405',
    devEui: randomBytes(8).toString('hex'),
    // Nwave's Parking Status example: port 1, 0x95 (bit0 occupied, bits 1..7 the previous duration) …
    occupied: { fPort: 1, bytes: [0x95] },
    // … and the same frame with bit0 cleared: free (Nwave's format; the vendor gives no free example).
    free: { fPort: 1, bytes: [0x94] },
  },
  {
    codec: 'bosch-tps110',
    devEui: randomBytes(8).toString('hex'),
    // Bosch's Parking Status example: port 1, one byte, 1 occupied …
    occupied: { fPort: 1, bytes: [1] },
    // … and 0 free.
    free: { fPort: 1, bytes: [0] },
  },
] as const;

// The same journey with a process per service (as Kubernetes runs them) and with all in one (npm start's PROCESS_MODE=single).
describe.each([
  ['a process per service', false],
  ['all services in one process', true],
])('webhook to space state, end to end, %s', (_mode, singleProcess) => {
  const namespace = uniqueNamespace();
  const applicationId = randomUUID();
  const devAddr = '01020304';
  let api: ApiStack;
  let owner: SignedIn;
  let integrationToken: string;
  let nats: NatsConnection;
  let subscription: Subscription;
  const events: Array<EventEnvelope<OccupancyEvents.SpaceStateChangedV1Data>> = [];
  let siteId: string;
  let live: EventStream;
  const spaceOf = new Map<string, string>();
  let fCnt = 10;

  const as = (body?: unknown) => ({ accessToken: owner.accessToken, body });
  const webhook = (devEui: string, frame: { fPort: number; bytes: readonly number[] }) =>
    fetch(`${api.baseUrl}/api/v1/webhooks/chirpstack?event=up`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integrationToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        deduplicationId: randomUUID(),
        time: new Date().toISOString(),
        deviceInfo: { tenantId: randomUUID(), applicationId, deviceName: `bay ${devEui}`, devEui, tags: {} },
        devAddr,
        fCnt: fCnt++,
        fPort: frame.fPort,
        data: Buffer.from(frame.bytes).toString('base64'),
        rxInfo: [{ gatewayId: '0016c001ff10a235', rssi: -71, snr: 7.5 }],
      }),
    });

  beforeAll(async () => {
    api = await startApiStack({
      prefix: 'webhook-to-space',
      services: ['identity', 'gateway', 'ingest', 'occupancy'],
      env: { NATS_NAMESPACE: namespace, SSE_HEARTBEAT_MS: '1000' },
      singleProcess,
    });
    owner = await api.register('webhook-space');
    await api.upgrade(owner.tenantId);
    nats = await connect({ servers: NATS_URL.split(','), name: 'webhook-to-space-e2e' });
    // Namespaced and per tenant: the tenant in the subject is what lets a subscriber filter.
    subscription = nats.subscribe(`${namespace}.occupancy.space.state_changed.v1.${owner.tenantId}.>`);
    void (async () => {
      for await (const message of subscription) events.push(message.json<EventEnvelope<OccupancyEvents.SpaceStateChangedV1Data>>());
    })();

    const integration = expectStatus(await api.call('POST', '/api/v1/webhook-integrations', as({ name: 'chirpstack e2e' })), 201);
    integrationToken = integration.token;
    await expectEventually(
      async () => expect(await api.sql('SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ spaces: null }]),
      SLOW,
    );
    siteId = expectStatus(await api.call('POST', '/api/v1/sites', as({ name: 'Webhook car park', category: 'off_street' })), 201).id;
    const zone = expectStatus(await api.call('POST', `/api/v1/sites/${siteId}/zones`, as({ name: 'Level 1', kind: 'level' })), 201);
    for (const sensor of SENSORS) {
      expectStatus(await api.call('POST', '/api/v1/devices', as({ devEui: sensor.devEui, kind: 'sensor', codec: sensor.codec, name: `${sensor.codec} e2e` })), 201);
      const space = expectStatus(await api.call('POST', '/api/v1/spaces', as({ siteId, zoneId: zone.id, code: `L1-${sensor.codec}` })), 201);
      spaceOf.set(sensor.devEui, space.id);
      // Occupancy learns the device from ingest's event; until then the assignment is a 404.
      await expectEventually(async () => expectStatus(await api.call('PUT', `/api/v1/spaces/${space.id}/sensor`, as({ devEui: sensor.devEui })), 200), SLOW);
    }
    live = await openEventStream(`${api.baseUrl}/api/v1/sites/${siteId}/events`, { authorization: `Bearer ${owner.accessToken}` });
    expect(live.status).toBe(200);
    // The gateway learns the integration from identity's event (a frame of a device nobody registered is only counted).
    await expectEventually(async () => expect((await webhook(randomBytes(8).toString('hex'), SENSORS[0].occupied)).status).toBe(200), SLOW);
  }, 180_000);

  afterAll(async () => {
    live?.close();
    subscription?.unsubscribe();
    await nats?.close();
    await api?.stop();
    await removeNamespaceStreams(namespace);
  });

  async function expectSpaceShows(devEui: string, state: 'occupied' | 'free', transitions: number): Promise<void> {
    const spaceId = spaceOf.get(devEui) as string;
    await expectEventually(async () => {
      const space = expectStatus(await api.call('GET', `/api/v1/spaces/${spaceId}`, as()), 200);
      expect(space.state).toMatchObject({ state, sensorOccupied: state === 'occupied', reading: { devEui } });
    }, SLOW);
    const history = expectStatus(await api.call('GET', `/api/v1/spaces/${spaceId}/transitions`, as()), 200);
    expect(history.items).toHaveLength(transitions);
    expect(history.items[0]).toMatchObject({ to: state, cause: 'sensor', reading: { devEui } });
    const version = history.items[0].version;
    await expectEventually(() => {
      const event = events.find((e) => e.data.spaceId === spaceId && e.data.version === version);
      expect(event?.data).toMatchObject({ tenantId: owner.tenantId, siteId, to: state, cause: 'sensor', reading: { devEui } });
    }, SLOW);
    const streamed = await live.waitFor((m) => dataOf(m).spaceId === spaceId && dataOf(m).version === version);
    expect(streamed).toMatchObject({ event: 'occupancy.space.state_changed.v1', id: expect.stringMatching(/^\d+$/) });
    expect(dataOf(streamed)).toMatchObject({ siteId, to: state, cause: 'sensor', reading: { devEui } });
    const snapshot = expectStatus(await api.call('GET', `/api/v1/sites/${siteId}/spaces?include=state&limit=500`, as()), 200);
    expect(snapshot.items.find((s: { id: string }) => s.id === spaceId)?.state).toMatchObject({ state, version });
  }

  const dataOf = (message: SseMessage): OccupancyEvents.SpaceStateChangedV1Data => JSON.parse(message.data).data;

  for (const sensor of SENSORS) {
    it(`a real ${sensor.codec} frame turns its space occupied, then free`, async () => {
      expect((await webhook(sensor.devEui, sensor.occupied)).status).toBe(200);
      await expectSpaceShows(sensor.devEui, 'occupied', 1);
      expect((await webhook(sensor.devEui, sensor.free)).status).toBe(200);
      await expectSpaceShows(sensor.devEui, 'free', 2);
      const history = expectStatus(await api.call('GET', `/api/v1/spaces/${spaceOf.get(sensor.devEui)}/transitions`, as()), 200);
      expect(history.items.map((t: { from: string; to: string }) => `${t.from}->${t.to}`)).toEqual(['occupied->free', 'unknown->occupied']);
    });
  }

  it('streams each change once, in stream order, with the stream sequence as its id', () => {
    const ids = live.messages.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    // Two sensors, occupied then free each: four changes of this site, nothing else.
    expect(live.messages.map((m) => `${dataOf(m).spaceId}:${dataOf(m).to}`).sort()).toEqual(
      [...spaceOf.values()].flatMap((spaceId) => [`${spaceId}:occupied`, `${spaceId}:free`]).sort(),
    );
  });

  it("resumes exactly after Last-Event-ID, and from a snapshot's streamSequence", async () => {
    const [first, ...rest] = live.messages;
    const resumed = await openEventStream(`${api.baseUrl}/api/v1/sites/${siteId}/events`, { authorization: `Bearer ${owner.accessToken}`, 'last-event-id': first.id as string });
    try {
      await resumed.waitFor((m) => m.id === rest.at(-1)?.id);
      expect(resumed.messages.map((m) => m.id)).toEqual(rest.map((m) => m.id));
    } finally {
      resumed.close();
    }
    // The snapshot reflects every change, so it names a sequence at or past the last one.
    await expectEventually(async () => {
      const snapshot = expectStatus(await api.call('GET', `/api/v1/sites/${siteId}/spaces?include=state`, as()), 200);
      expect(snapshot.streamSequence).toBeGreaterThanOrEqual(Number(rest.at(-1)?.id));
    }, SLOW);
    const snapshot = expectStatus(await api.call('GET', `/api/v1/sites/${siteId}/spaces?include=state`, as()), 200);
    const sensor = SENSORS[0];
    const held = snapshot.items.find((s: { id: string }) => s.id === spaceOf.get(sensor.devEui)).state;
    expect(held).toMatchObject({ state: 'free' });
    const fromSnapshot = await openEventStream(`${api.baseUrl}/api/v1/sites/${siteId}/events?lastEventId=${snapshot.streamSequence}`, { authorization: `Bearer ${owner.accessToken}` });
    try {
      expect((await webhook(sensor.devEui, sensor.occupied)).status).toBe(200);
      const next = await fromSnapshot.waitFor(() => true);
      // Nothing the snapshot already held comes again: the first message is the new change.
      expect(Number(next.id)).toBeGreaterThan(snapshot.streamSequence);
      expect(dataOf(next)).toMatchObject({ spaceId: spaceOf.get(sensor.devEui), to: 'occupied', version: held.version + 1 });
      await live.waitFor((m) => m.id === next.id);
    } finally {
      fromSnapshot.close();
    }
  });

  it('sends heartbeats on an idle stream', async () => {
    await expectEventually(() => expect(live.comments).toContain('heartbeat'), SLOW);
  });

  it('answers problems, not streams, to a bad Last-Event-ID, no credentials or another tenant', async () => {
    const url = `${api.baseUrl}/api/v1/sites/${siteId}/events`;
    const bad = await openEventStream(url, { authorization: `Bearer ${owner.accessToken}`, 'last-event-id': 'yesterday' });
    expect({ status: bad.status, type: bad.headers.get('content-type') }).toEqual({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'Last-Event-ID' })] });
    expect((await openEventStream(url)).status).toBe(401);
    const stranger = await api.register('webhook-space-stranger');
    const foreign = await openEventStream(url, { authorization: `Bearer ${stranger.accessToken}` });
    expect({ status: foreign.status, code: (foreign.body as { code?: string })?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('refuses a malformed range on the transitions route with a problem that names the field', async () => {
    const spaceId = spaceOf.get(SENSORS[0].devEui) as string;
    const answer = await api.call('GET', `/api/v1/spaces/${spaceId}/transitions?from=yesterday`, as());
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'from' })] });
  });
});
