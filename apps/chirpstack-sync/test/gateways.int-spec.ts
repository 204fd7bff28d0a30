// LoRa gateways against the in-process fake ChirpStack, over a fresh database as the service's
// runtime role: provisioning, health with its events (once, whatever the replicas), and the
// statistics folded from uplinks.
import { ChirpstackEvents, createEnvelope, IngestEvents, OccupancyEvents, UPLINK_EXAMPLE, type Uplink } from '@parking/contracts';
import { OutboxWriter } from '@parking/messaging';
import { randomBytes, randomUUID } from 'node:crypto';
import { GatewayHealth } from '../src/gateways/gateway-health';
import { GatewayProvisioning } from '../src/gateways/gateway-provisioning';
import { GatewayStats } from '../src/gateways/gateway-stats';
import { GatewayUplinksConsumer } from '../src/gateways/gateway-uplinks.consumer';
import { GatewaysUseCase } from '../src/gateways/gateways.use-case';
import { SiteEventsConsumer } from '../src/gateways/site-events.consumer';
import { owner, startSyncFixture, type SyncFixture } from './sync-fixture';

const INTERVAL_S = 30;

describe('LoRa gateways', () => {
  let f: SyncFixture;
  let gateways: GatewaysUseCase;
  let provisioning: GatewayProvisioning;
  let outbox: OutboxWriter;
  let stats: GatewayStats;
  let uplinks: GatewayUplinksConsumer;
  const sites = new SiteEventsConsumer();

  async function siteOf(tenantId: string): Promise<string> {
    const siteId = randomUUID();
    const envelope = createEnvelope(OccupancyEvents.SiteUpsertedV1, {
      tenantId,
      aggregateId: siteId,
      source: '/parking/occupancy',
      data: { tenantId, siteId, name: 'Garage north', timeZone: 'Europe/Berlin', openingHours: null, version: 1 },
    });
    await f.db.withTenant(tenantId, (tx) => sites.handle(envelope, tx as never));
    return siteId;
  }
  async function tenantWithGateway(): Promise<{ tenantId: string; siteId: string; gatewayId: string; chirpstackTenantId: string }> {
    const { tenantId, connectionId } = await f.tenantWithConnection();
    const siteId = await siteOf(tenantId);
    const gatewayId = randomBytes(8).toString('hex');
    const view = await gateways.create(owner(tenantId), { gatewayId, siteId, name: 'Level 2 north', tags: { floor: '2' }, statsIntervalSeconds: INTERVAL_S });
    expect(view).toMatchObject({ gatewayId, siteId, connectionId, state: 'unknown', sync: { status: 'synced', reason: null, attempts: 0 } });
    const chirpstackTenantId = (await f.connections.get(owner(tenantId), connectionId)).chirpstackTenantId;
    return { tenantId, siteId, gatewayId, chirpstackTenantId };
  }
  // Two replicas for the whole suite: the lease stays with whichever took it first.
  let replicas: GatewayHealth[];
  const pollBoth = async (times = 1) => {
    for (let i = 0; i < times; i += 1) {
      const passes = await Promise.all(replicas.map((replica) => replica.tick()));
      expect(passes.filter((pass) => pass === null)).toHaveLength(1);
    }
  };
  const stateEvents = (tenantId: string) =>
    f.db.withTenant(tenantId, (tx) => tx.$queryRaw<Array<{ subject: string; data: { gatewayId: string; basis: string } }>>`
      SELECT subject, envelope->'data' AS data FROM chirpstack.outbox WHERE subject LIKE 'chirpstack.gateway.%' ORDER BY seq`);
  const typesOf = async (tenantId: string) => (await stateEvents(tenantId)).map((event) => event.subject.split('.').slice(0, 4).join('.'));
  function uplinkMessage(tenantId: string, gatewayId: string, rssi: number, snr: number, receivedAt: Date) {
    const uplink: Uplink = { ...UPLINK_EXAMPLE, tenantId, deduplicationId: randomUUID(), receivedAt: receivedAt.toISOString(), radio: { ...UPLINK_EXAMPLE.radio, gateways: [{ gatewayId, rssi, snr }] } };
    const envelope = createEnvelope(IngestEvents.UplinkReceivedV1, { tenantId, aggregateId: uplink.deviceId, source: '/parking/ingest', data: uplink });
    return { subject: `${IngestEvents.UPLINK_RECEIVED_V1}.${tenantId}.${uplink.deviceId}`, data: Buffer.from(JSON.stringify(envelope)), headers: {}, streamSequence: 1, deliveryCount: 1 };
  }

  beforeAll(async () => {
    f = await startSyncFixture({ deadlineMs: 2_000, attempts: 1, firstDelayMs: 5, maxDelayMs: 20, breakAfter: 100, halfOpenAfterMs: 100 });
    outbox = new OutboxWriter({ schema: 'chirpstack', source: '/parking/chirpstack-sync', wake: 'poll' });
    provisioning = new GatewayProvisioning(f.db, f.connections, f.clients);
    gateways = new GatewaysUseCase(f.db, provisioning);
    stats = new GatewayStats(f.db, gateways, f.connections, f.clients);
    // The batch handler needs only the database; NATS is the runner's, which the test does not start.
    uplinks = new GatewayUplinksConsumer(undefined as never, undefined as never, undefined as never, f.db);
    replicas = [0, 1].map(() => new GatewayHealth(f.db, f.connections, f.clients, provisioning, outbox, { intervalMs: 60_000, autoStart: false }));
  });
  afterEach(() => f.fake.heal());
  afterAll(() => f?.close());

  it('provisions a gateway into ChirpStack, changes and removes it there, and keeps it to its tenant', async () => {
    const { tenantId, siteId, gatewayId, chirpstackTenantId } = await tenantWithGateway();
    expect(f.fake.gateway(gatewayId)).toMatchObject({ gatewayId, name: 'Level 2 north', tenantId: chirpstackTenantId, tags: { floor: '2' }, statsInterval: INTERVAL_S });

    const updated = await gateways.update(owner(tenantId), gatewayId, { siteId, name: 'Level 3', statsIntervalSeconds: 60, version: 1 });
    expect(updated).toMatchObject({ name: 'Level 3', version: 2, sync: { status: 'synced' } });
    expect(f.fake.gateway(gatewayId)).toMatchObject({ name: 'Level 3', statsInterval: 60, tags: {} });
    await expect(gateways.update(owner(tenantId), gatewayId, { siteId, name: 'stale', version: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });

    const stranger = owner(randomUUID());
    await expect(gateways.get(stranger, gatewayId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(gateways.remove(stranger, gatewayId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await gateways.list(stranger, {}, 10)).items).toEqual([]);
    expect((await gateways.list(owner(tenantId), { siteId }, 10)).items.map((g) => g.gatewayId)).toEqual([gatewayId]);

    expect(await gateways.remove(owner(tenantId), gatewayId)).toMatchObject({ gatewayId, name: 'Level 3' });
    expect(f.fake.gateway(gatewayId)).toBeUndefined();
    await expect(gateways.get(owner(tenantId), gatewayId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("refuses an unknown site, another tenant's connection, a tenant without a connection and a taken EUI, changing nothing", async () => {
    const { tenantId, siteId, gatewayId } = await tenantWithGateway();
    const fresh = randomBytes(8).toString('hex');
    await expect(gateways.create(owner(tenantId), { gatewayId: fresh, siteId: randomUUID(), name: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'siteId' }] });
    const other = await f.tenantWithConnection();
    await expect(gateways.create(owner(tenantId), { gatewayId: fresh, siteId, name: 'x', connectionId: other.connectionId })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'connectionId' }] });
    const lonely = randomUUID();
    await expect(gateways.create(owner(lonely), { gatewayId: fresh, siteId: await siteOf(lonely), name: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'connectionId' }] });
    await expect(gateways.create(owner(other.tenantId), { gatewayId, siteId: await siteOf(other.tenantId), name: 'x' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(f.fake.gateway(fresh)).toBeUndefined();
  });

  it('keeps a gateway ChirpStack could not take pending, and the next health pass provisions it', async () => {
    const { tenantId, connectionId } = await f.tenantWithConnection();
    const siteId = await siteOf(tenantId);
    const gatewayId = randomBytes(8).toString('hex');
    f.fake.outage(true);
    const view = await gateways.create(owner(tenantId), { gatewayId, siteId, name: 'Roof' });
    expect(view).toMatchObject({ connectionId, sync: { status: 'pending', reason: expect.stringContaining('UNAVAILABLE'), attempts: 1 } });
    f.fake.outage(false);
    await pollBoth();
    expect((await gateways.get(owner(tenantId), gatewayId)).sync).toEqual({ status: 'synced', reason: null, attempts: 0 });
    expect(f.fake.gateway(gatewayId)).toMatchObject({ name: 'Roof' });
  });

  it('says so when a gateway\'s connection is removed, takes another one, and removes a gateway whose connection is gone', async () => {
    const { tenantId, siteId, gatewayId } = await tenantWithGateway();
    const first = (await gateways.get(owner(tenantId), gatewayId)).connectionId as string;
    const second = await f.connections.create(owner(tenantId), { name: 'Second LNS', apiUrl: f.fake.url, apiToken: 'cs-sync-token-5d1e', chirpstackTenantId: randomUUID(), applicationId: f.applicationId });
    await f.connections.remove(owner(tenantId), first);
    const moved = await gateways.update(owner(tenantId), gatewayId, { siteId, name: 'Level 2 north', connectionId: second.id });
    expect(moved).toMatchObject({ connectionId: second.id, sync: { status: 'synced' } });

    const other = randomBytes(8).toString('hex');
    await gateways.create(owner(tenantId), { gatewayId: other, siteId, name: 'Roof', connectionId: second.id });
    await f.connections.remove(owner(tenantId), second.id);
    const stranded = await gateways.update(owner(tenantId), other, { siteId, name: 'Roof 2' });
    expect(stranded.sync).toMatchObject({ status: 'failed', reason: expect.stringContaining('was removed') });
    await gateways.remove(owner(tenantId), other);
    await expect(gateways.get(owner(tenantId), other)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const again = await f.tenantWithConnection();
    const siteOfAgain = await siteOf(again.tenantId);
    expect((await gateways.create(owner(again.tenantId), { gatewayId: other, siteId: siteOfAgain, name: 'Reused EUI' })).gatewayId).toBe(other);
  });

  it('announces a gateway going offline and coming back online once each, with two replicas polling', async () => {
    const { tenantId, gatewayId } = await tenantWithGateway();
    f.fake.setGatewayLastSeen(gatewayId, new Date());
    await pollBoth(2);
    expect(await gateways.get(owner(tenantId), gatewayId)).toMatchObject({ state: 'online', lastSeenAt: expect.any(String) });

    f.fake.setGatewayLastSeen(gatewayId, new Date(Date.now() - 3 * INTERVAL_S * 1000));
    await pollBoth(3);
    expect((await gateways.get(owner(tenantId), gatewayId)).state).toBe('offline');

    f.fake.setGatewayLastSeen(gatewayId, new Date());
    await pollBoth(3);
    expect(await typesOf(tenantId)).toEqual([ChirpstackEvents.GATEWAY_ONLINE_V1, ChirpstackEvents.GATEWAY_OFFLINE_V1, ChirpstackEvents.GATEWAY_ONLINE_V1]);
    expect((await stateEvents(tenantId)).map((event) => event.data)).toEqual([
      expect.objectContaining({ gatewayId, basis: 'chirpstack' }),
      expect.objectContaining({ gatewayId, basis: 'chirpstack' }),
      expect.objectContaining({ gatewayId, basis: 'chirpstack' }),
    ]);
  });

  it('folds the uplinks a gateway relayed into hourly statistics, and an uplink keeps it online', async () => {
    const { tenantId, gatewayId } = await tenantWithGateway();
    const now = new Date();
    const messages = [
      uplinkMessage(tenantId, gatewayId, -85, 7.5, now),
      uplinkMessage(tenantId, gatewayId, -101, -2, now),
      uplinkMessage(tenantId, gatewayId, -60, 10, new Date(now.getTime() - 3_600_000)),
      uplinkMessage(tenantId, randomBytes(8).toString('hex'), -70, 5, now),
    ];
    expect(await uplinks.handle(messages)).toEqual(messages.map(() => ({ kind: 'ack' })));
    // A redelivery counts nothing twice.
    expect(await uplinks.handle(messages.slice(0, 1))).toEqual([{ kind: 'ack' }]);

    const view = await stats.of(owner(tenantId), gatewayId, 24, now);
    expect(view.uplinks).toBe(3);
    expect(view.uplinksPerHour.map((hour) => hour.uplinks)).toEqual([1, 2]);
    expect(view.rssi).toMatchObject({ min: -101, max: -60, mean: -82 });
    expect(view.rssi.histogram).toEqual([
      { from: -110, to: -100, count: 1 },
      { from: -90, to: -80, count: 1 },
      { from: -60, to: -50, count: 1 },
    ]);
    expect(view.snr).toMatchObject({ min: -2, max: 10, mean: 5.2 });
    expect(view.dutyCycle).toMatchObject({ unavailable: expect.stringContaining('UNIMPLEMENTED'), bands: [] });
    expect(await stats.of(owner(tenantId), gatewayId, 1, now)).toMatchObject({ uplinks: 2 });
    await expect(stats.of(owner(randomUUID()), gatewayId, 24, now)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // ChirpStack has never seen it, but it relayed an uplink just now: online, by the uplinks.
    await pollBoth();
    expect((await gateways.get(owner(tenantId), gatewayId)).state).toBe('online');
    expect((await stateEvents(tenantId)).map((event) => event.data)).toEqual([expect.objectContaining({ gatewayId, basis: 'uplinks' })]);
  });
});
