/**
 * Signage end to end, through the compiled gateway, identity, ingest, occupancy, downlink and
 * chirpstack-sync processes (real PostgreSQL with RLS, NATS) against the fake ChirpStack: a
 * sensor's uplink turns its bay light and its zone's count sign, whose frames reach ChirpStack's
 * queue through chirpstack-sync with the right fPort and bytes and `flushQueue` set; the light's
 * own uplink confirms what it shows; overrides, policies, history and statistics over REST.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeChirpStack } from '@parking/chirpstack-fake';
import { expectEventually } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from '../api-stack';

const TOKEN = 'cs-signage-journey-token';
const SLOW = { timeoutMs: 20_000, intervalMs: 100 };
const GATEWAY = '0016c001ff10a235';

function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

interface EnqueueCall {
  devEui: string;
  fPort: number;
  hex: string;
  flushQueue: boolean;
  expiresAt: boolean;
}

describe('signage, end to end against the fake ChirpStack', () => {
  const chirpstackTenantId = randomUUID();
  const sensor = randomBytes(8).toString('hex');
  const light = randomBytes(8).toString('hex');
  const sign = randomBytes(8).toString('hex');
  let fake: FakeChirpStack;
  let api: ApiStack;
  let owner: SignedIn;
  let integrationToken: string;
  let applicationId: string;
  let siteId: string;
  let zoneId: string;
  let spaceId: string;
  let lightId: string;
  let signId: string;
  let fCnt = 1;

  const as = (body?: unknown) => ({ accessToken: owner.accessToken, body });
  const webhook = (devEui: string, fPort: number, bytes: Buffer) =>
    fetch(`${api.baseUrl}/api/v1/webhooks/chirpstack?event=up`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integrationToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        deduplicationId: randomUUID(),
        time: new Date().toISOString(),
        deviceInfo: { tenantId: chirpstackTenantId, applicationId, deviceName: devEui, devEui, tags: {} },
        devAddr: '01020304',
        fCnt: fCnt++,
        fPort,
        data: bytes.toString('base64'),
        rxInfo: [{ gatewayId: GATEWAY, rssi: -71, snr: 7.5 }],
      }),
    });
  /** What chirpstack-sync asked ChirpStack to enqueue, per device, oldest first. */
  const enqueued = (devEui: string): EnqueueCall[] =>
    fake
      .callsOf('DeviceService.Enqueue')
      .filter((call) => call.failed === undefined)
      .map((call) => call.request as { queueItem: { devEui: string; fPort: number; data: string; expiresAt?: unknown }; flushQueue: boolean })
      .filter((request) => request.queueItem.devEui === devEui)
      .map((request) => ({
        devEui: request.queueItem.devEui,
        fPort: request.queueItem.fPort,
        hex: Buffer.from(request.queueItem.data, 'base64').toString('hex'),
        flushQueue: request.flushQueue,
        expiresAt: request.queueItem.expiresAt !== undefined,
      }));
  const lastEnqueued = (devEui: string) => enqueued(devEui).at(-1);

  beforeAll(async () => {
    fake = await FakeChirpStack.start({ tokens: [TOKEN] });
    applicationId = fake.addApplication({ tenantId: chirpstackTenantId, name: 'parking' });
    const profileId = fake.addDeviceProfile({ tenantId: chirpstackTenantId, name: 'class C EU868', region: 'EU868' });
    api = await startApiStack({ prefix: 'signage-journey', services: ['identity', 'gateway', 'ingest', 'occupancy', 'downlink', 'chirpstack-sync'] });
    owner = await api.register('signage');
    await api.upgrade(owner.tenantId);
    integrationToken = expectStatus(await api.call('POST', '/api/v1/webhook-integrations', as({ name: 'chirpstack' })), 201).token;
    const deviceProfiles = { 'nwave-nps405': profileId, 'kuando-busylight': profileId, 'count-display': profileId };
    expectStatus(await api.call('POST', '/api/v1/chirpstack/connections', as({ name: 'LNS', apiUrl: fake.url, apiToken: TOKEN, chirpstackTenantId, applicationId, deviceProfiles })), 201);
    await expectEventually(async () => expect(await api.sql('SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ spaces: null }]), SLOW);

    siteId = expectStatus(await api.call('POST', '/api/v1/sites', as({ name: 'Signage car park', category: 'off_street' })), 201).id;
    zoneId = expectStatus(await api.call('POST', `/api/v1/sites/${siteId}/zones`, as({ name: 'Level 1', kind: 'level' })), 201).id;
    spaceId = expectStatus(await api.call('POST', '/api/v1/spaces', as({ siteId, zoneId, code: 'L1-001' })), 201).id;
    expectStatus(await api.call('POST', '/api/v1/devices', as({ devEui: sensor, kind: 'sensor', codec: 'nwave-nps405', name: 'bay sensor' })), 201);
    expectStatus(await api.call('POST', '/api/v1/devices', as({ devEui: light, kind: 'display', codec: 'kuando-busylight', name: 'bay light' })), 201);
    expectStatus(await api.call('POST', '/api/v1/devices', as({ devEui: sign, kind: 'display', codec: 'count-display', name: 'level sign' })), 201);
    await expectEventually(async () => expectStatus(await api.call('PUT', `/api/v1/spaces/${spaceId}/sensor`, as({ devEui: sensor })), 200), SLOW);
    // chirpstack-sync provisions the displays into ChirpStack, where frames can be queued for them.
    await expectEventually(() => expect([fake.device(light)?.devEui, fake.device(sign)?.devEui]).toEqual([light, sign]), SLOW);
    // The downlink service learns the devices, the space and the zone from ingest's and occupancy's events.
    lightId = (await expectEventually(async () => expectStatus(await api.call('POST', '/api/v1/displays', as({ devEui: light, name: 'Bay L1-001', target: 'space', targetId: spaceId })), 201), SLOW)).id;
    signId = (await expectEventually(async () => expectStatus(await api.call('POST', '/api/v1/displays', as({ devEui: sign, name: 'Level 1 entrance', target: 'zone', targetId: zoneId, arrow: 'right' })), 201), SLOW)).id;
    await expectEventually(async () => expect((await webhook(randomBytes(8).toString('hex'), 1, Buffer.from([0x94]))).status).toBe(200), SLOW);
  }, 240_000);

  afterAll(async () => {
    await api?.stop();
    await fake?.stop();
  });

  it("turns the bay light red and the level's sign FULL when the sensor reports occupied, each frame queued in ChirpStack with flushQueue", async () => {
    // Nwave NPS405 Parking Status example: 0x95, occupied.
    expect((await webhook(sensor, 1, Buffer.from([0x95]))).status).toBe(200);
    // Kuando: fPort 15, R B G, steady (on 255, off 0).
    await expectEventually(() => expect(lastEnqueued(light)).toEqual({ devEui: light, fPort: 15, hex: 'ff0000ff00', flushQueue: true, expiresAt: true }), SLOW);
    // Count display: version 1, 0 free, no arrow when full, red, steady, "FULL".
    await expectEventually(() => expect(lastEnqueued(sign)).toEqual({ devEui: sign, fPort: 20, hex: `01000000ff000000${Buffer.from('FULL').toString('hex')}`, flushQueue: true, expiresAt: true }), SLOW);
    expect(fake.queue(light).map((item) => item.data.toString('hex'))).toEqual(['ff0000ff00']);

    // Free again: green, and one free space to the right.
    expect((await webhook(sensor, 1, Buffer.from([0x94]))).status).toBe(200);
    await expectEventually(() => expect(lastEnqueued(light)?.hex).toBe('0000ffff00'), SLOW);
    // One free: the count, the arrow to the right, green, steady, no text.
    await expectEventually(() => expect(lastEnqueued(sign)?.hex).toBe('0100010200ff0000'), SLOW);
  });

  it("confirms what the light shows from its own uplink, and learns its gateway", async () => {
    await expectEventually(() => expect(lastEnqueued(light)?.hex).toBe('0000ffff00'), SLOW);
    // The Busylight's 24-byte status: RSSI, SNR, counters, then the colour it shows at 16..20 (R, B, G, on, off).
    const status = Buffer.alloc(24);
    status.writeInt32LE(-80, 0);
    status.writeInt32LE(7, 4);
    status.writeUInt32LE(3, 8);
    status.writeUInt32LE(5, 12);
    Buffer.from('0000ffff00', 'hex').copy(status, 16);
    expect((await webhook(light, 15, status)).status).toBe(200);
    const display = await expectEventually(async () => {
      const view = expectStatus(await api.call('GET', `/api/v1/displays/${lightId}`, as()), 200);
      expect(view).toMatchObject({ shows: { fPort: 15, frame: '0000ffff00' }, gatewayId: GATEWAY, faultyAt: null });
      return view;
    }, SLOW);
    expect(display.devEui).toBe(light);
    const history = expectStatus(await api.call('GET', `/api/v1/displays/${lightId}/commands?limit=1`, as()), 200);
    expect(history.items[0]).toMatchObject({ frame: '0000ffff00', fPort: 15, state: 'confirmed' });
    expect(history.items[0].steps.map((step: { outcome: string }) => step.outcome)).toEqual(expect.arrayContaining(['queued', 'sent', 'echo']));
    const stats = expectStatus(await api.call('GET', `/api/v1/displays/${lightId}/stats?hours=1`, as()), 200);
    expect(stats).toMatchObject({ displayId: lightId, confirmed: expect.any(Number), failed: 0 });
    expect(stats.sent).toBeGreaterThanOrEqual(3);
    const gateways = expectStatus(await api.call('GET', '/api/v1/signage/gateways?hours=1', as()), 200);
    expect(gateways.items).toEqual([expect.objectContaining({ gatewayId: GATEWAY, displays: 1 })]);
  });

  it('overrides a display and a whole zone over REST, and hands them back to the policy', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const set = expectStatus(await api.call('PUT', `/api/v1/displays/${lightId}/override`, as({ colour: { red: 255, green: 160, blue: 0 }, blink: 'slow', expiresAt, reason: 'Cleaning' })), 200);
    expect(set.override).toMatchObject({ reason: 'Cleaning', expiresAt, setBy: expect.stringMatching(/^user:/) });
    await expectEventually(() => expect(lastEnqueued(light)?.hex).toBe('ff00a00a0a'), SLOW);
    expectStatus(await api.call('DELETE', `/api/v1/displays/${lightId}/override`, as()), 200);
    await expectEventually(() => expect(lastEnqueued(light)?.hex).toBe('0000ffff00'), SLOW);

    expect(expectStatus(await api.call('PUT', `/api/v1/zones/${zoneId}/display-override`, as({ colour: { red: 255, green: 0, blue: 0 }, text: 'CLOSED', expiresAt, reason: 'Event' })), 200)).toEqual({ displays: 2 });
    // No number, the sign's own arrow, red, steady, "CLOSED".
    await expectEventually(() => expect(lastEnqueued(sign)?.hex).toBe(`01ffff02ff000000${Buffer.from('CLOSED').toString('hex')}`), SLOW);
    expect(expectStatus(await api.call('DELETE', `/api/v1/zones/${zoneId}/display-override`, as()), 200)).toEqual({ displays: 2 });

    // A site policy: free bays blue.
    const policy = expectStatus(await api.call('PUT', `/api/v1/sites/${siteId}/signage-policy`, as({ states: { free: { colour: { red: 0, green: 0, blue: 255 }, blink: 'steady' } } })), 200);
    expect(policy).toMatchObject({ siteId, version: 1, effective: { states: { free: { colour: { red: 0, green: 0, blue: 255 } } } } });
    await expectEventually(() => expect(lastEnqueued(light)?.hex).toBe('00ff00ff00'), SLOW);
  });

  it('answers bad input with a problem that says what to fix, and changes nothing', async () => {
    const notDisplay = await api.call('POST', '/api/v1/displays', as({ devEui: sensor, name: 'x', target: 'space', targetId: spaceId }));
    expect({ status: notDisplay.status, code: notDisplay.body.code, type: notDisplay.headers.get('content-type') }).toEqual({ status: 400, code: 'VALIDATION_FAILED', type: expect.stringMatching(/^application\/problem\+json/) });
    expect(notDisplay.body.errors).toEqual([{ field: 'devEui', message: expect.stringMatching(/kind sensor; register it with kind display/) }]);
    const badColour = await api.call('PUT', `/api/v1/displays/${lightId}/override`, as({ colour: { red: 300, green: 0, blue: 0 }, expiresAt: new Date(Date.now() + 60_000).toISOString(), reason: 'x' }));
    expect({ status: badColour.status, fields: badColour.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ status: 400, fields: ['colour.red'] });
    const badTarget = await api.call('POST', '/api/v1/displays', as({ devEui: light, name: 'x', target: 'floor', targetId: spaceId }));
    expect({ status: badTarget.status, fields: badTarget.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ status: 400, fields: ['target'] });
    const stale = await api.call('PUT', `/api/v1/displays/${lightId}`, as({ name: 'x', target: 'space', targetId: spaceId, version: 99 }));
    expect({ status: stale.status, code: stale.body.code }).toEqual({ status: 409, code: 'CONFLICT' });
    expect(expectStatus(await api.call('GET', `/api/v1/displays/${lightId}`, as()), 200)).toMatchObject({ name: 'Bay L1-001', override: null });
    const viewerKey = expectStatus(await api.call('POST', '/api/v1/api-keys', as({ name: 'viewer', scopes: ['displays:read'] })), 201).key;
    const refused = await api.call('PUT', `/api/v1/displays/${lightId}/override`, { apiKey: viewerKey, body: { colour: { red: 1, green: 1, blue: 1 }, expiresAt: new Date(Date.now() + 60_000).toISOString(), reason: 'x' } });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(expectStatus(await api.call('GET', '/api/v1/displays', { apiKey: viewerKey }), 200).items.map((d: { id: string }) => d.id).sort()).toEqual([lightId, signId].sort());
  });
});
