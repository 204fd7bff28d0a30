// Device provisioning over a fresh database as the service's runtime role, against the
// in-process fake ChirpStack: the device events' consumer writes what ChirpStack should hold,
// the worker brings it there.
import { status } from '@grpc/grpc-js';
import { createEnvelope, IngestEvents, type EventEnvelope } from '@parking/contracts';
import { batchOf, expectEventually } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeviceSync } from '../src/devices/device-sync';
import { DeviceSyncUseCase } from '../src/devices/device-sync.use-case';
import type { DeviceSyncWorker } from '../src/devices/device-sync.worker';
import { CODEC, owner, snapshot, startSyncFixture, SYNC_OPTIONS, TOKEN, type Snapshot, type SyncFixture } from './sync-fixture';

// Room for a loaded machine's first call (it opens the channel); the slow fake outlasts it.
const DEADLINE_MS = 1_500;
const EVENT_TYPES = { registered: IngestEvents.DeviceRegisteredV1, updated: IngestEvents.DeviceUpdatedV1, removed: IngestEvents.DeviceRemovedV1 };
const NWK_KEY = '2b7e151628aed2a6abf7158809cf4f3c';
const APP_KEY = '000102030405060708090a0b0c0d0e0f';

describe('device provisioning into ChirpStack', () => {
  let f: SyncFixture;
  let fake: SyncFixture['fake'];
  let db: SyncFixture['db'];
  let connections: SyncFixture['connections'];
  let worker: DeviceSyncWorker;
  let devices: DeviceSyncUseCase;
  let applicationId: string;
  let profileId: string;
  const extraWorkers: DeviceSyncWorker[] = [];

  const newWorker = (options: Parameters<SyncFixture['newWorker']>[0] = {}) => {
    const created = f.newWorker(options);
    extraWorkers.push(created);
    return created;
  };
  const tenantWithConnection = async (overrides: { deviceProfiles?: Record<string, string> } = {}) => (await f.tenantWithConnection(overrides)).tenantId;
  const deliver = (kind: 'registered' | 'updated' | 'removed', device: Snapshot) => f.deliver(kind, device);
  const statusOf = (device: Snapshot) => devices.view(owner(device.tenantId), device.devEui);
  const createCallsFor = (devEui: string) => fake.callsOf('DeviceService.Create').filter((call) => (call.request as { device: { devEui: string } }).device.devEui === devEui);

  beforeAll(async () => {
    f = await startSyncFixture({ deadlineMs: DEADLINE_MS, attempts: 2, firstDelayMs: 5, maxDelayMs: 20, breakAfter: 5, halfOpenAfterMs: 300 });
    ({ fake, db, connections, worker, applicationId, profileId } = f);
    devices = new DeviceSyncUseCase(db, f.vault, worker);
  });
  afterEach(async () => {
    await Promise.all(extraWorkers.splice(0).map((w) => w.onApplicationShutdown()));
    fake.heal();
  });
  afterAll(() => f?.close());

  it('creates a registered device with the mapped fields, and says so', async () => {
    const tenantId = await tenantWithConnection();
    const device = snapshot(tenantId);
    await deliver('registered', device);
    expect(await statusOf(device)).toMatchObject({ status: 'pending', deviceVersion: 1, syncedVersion: null, keys: 'none' });

    await worker.drain();

    expect(fake.device(device.devEui)).toEqual(
      expect.objectContaining({
        devEui: device.devEui,
        name: 'Bay 12, level 2',
        description: 'NPS405 under bay 12',
        applicationId,
        deviceProfileId: profileId,
        joinEui: '70b3d57ed0000001',
        tags: { level: '2', zone: 'north' },
        variables: { platformDeviceId: device.deviceId },
      }),
    );
    expect(await statusOf(device)).toMatchObject({ status: 'synced', reason: null, attempts: 0, syncedVersion: 1, nextAttemptAt: null, connectionId: expect.any(String) });
  });

  it('takes a batch of device events in stream order: a devEUI met twice is judged after what came before it, and a redelivered batch changes nothing', async () => {
    const tenantId = await tenantWithConnection();
    const kept = snapshot(tenantId);
    const gone = snapshot(tenantId);
    const event = (type: 'registered' | 'updated' | 'removed', device: Snapshot) =>
      createEnvelope(EVENT_TYPES[type], { tenantId, aggregateId: device.deviceId, source: '/parking/ingest', data: device }) as EventEnvelope;
    const batch = batchOf([
      event('registered', kept),
      event('registered', gone),
      event('updated', { ...kept, name: 'Bay 12 (renamed)', version: 2 }),
      event('removed', { ...gone, version: 2 }),
      // Older than the rename: changes nothing.
      event('updated', { ...kept, name: 'Bay 12 (old)', version: 1 }),
    ]);
    expect(await f.consumer.handle(batch)).toEqual(batch.map(() => ({ kind: 'ack' })));
    const rows = () =>
      db.withTenant(tenantId, (tx) => tx.$queryRaw<Array<{ dev_eui: string; name: string; device_version: number; removed: boolean }>>`
        SELECT dev_eui, name, device_version, removed FROM chirpstack.devices ORDER BY dev_eui`);
    const expected = [
      { dev_eui: kept.devEui, name: 'Bay 12 (renamed)', device_version: 2, removed: false },
      { dev_eui: gone.devEui, name: gone.name, device_version: 2, removed: true },
    ].sort((a, b) => a.dev_eui.localeCompare(b.dev_eui));
    expect(await rows()).toEqual(expected);
    expect(await f.consumer.handle(batch)).toEqual(batch.map(() => ({ kind: 'ack' })));
    expect(await rows()).toEqual(expected);
  });

  it("lets the device's own application and profile override the connection's, and updates ChirpStack on a newer version only", async () => {
    const tenantId = await tenantWithConnection();
    const ownApplication = fake.addApplication({ tenantId: randomUUID(), name: 'level 3' });
    const ownProfile = randomUUID();
    const device = snapshot(tenantId, { chirpstackApplicationId: ownApplication, chirpstackProfileId: ownProfile, joinEui: null });
    await deliver('registered', device);
    await worker.drain();
    expect(fake.device(device.devEui)).toMatchObject({ applicationId: ownApplication, deviceProfileId: ownProfile, joinEui: '0000000000000000' });

    const renamed = { ...device, version: 2, name: 'Bay 13', tags: { level: '3' }, description: null };
    await deliver('updated', renamed);
    await deliver('updated', { ...device, name: 'stale', version: 1 });
    await worker.drain();
    expect(fake.device(device.devEui)).toMatchObject({ name: 'Bay 13', tags: { level: '3' }, description: '' });
    expect(await statusOf(device)).toMatchObject({ status: 'synced', syncedVersion: 2, deviceVersion: 2 });
    expect(fake.devices().filter((d) => d.devEui === device.devEui)).toHaveLength(1);
  });

  it('deletes a removed device from ChirpStack, and a device ChirpStack never had is no failure', async () => {
    const tenantId = await tenantWithConnection();
    const device = snapshot(tenantId);
    await deliver('registered', device);
    await worker.drain();
    expect(fake.device(device.devEui)).toBeDefined();
    await deliver('removed', device);
    await worker.drain();
    expect(fake.device(device.devEui)).toBeUndefined();
    expect(await statusOf(device)).toMatchObject({ status: 'synced', removed: true });

    const never = snapshot(tenantId);
    await deliver('removed', never);
    await worker.drain();
    expect(await statusOf(never)).toMatchObject({ status: 'synced', removed: true });
  });

  it("leaves another device's entry under a devEUI alone when removing ours", async () => {
    const tenantId = await tenantWithConnection();
    const device = snapshot(tenantId);
    const theirs = randomUUID();
    fake.putDevice({ devEui: device.devEui, name: 'theirs', description: '', applicationId, deviceProfileId: profileId, isDisabled: false, skipFcntCheck: false, joinEui: '0000000000000000', tags: {}, variables: { platformDeviceId: theirs } });
    await deliver('removed', device);
    await worker.drain();
    expect(fake.device(device.devEui)).toMatchObject({ variables: { platformDeviceId: theirs } });
  });

  it('sends OTAA keys with CreateKeys (UpdateKeys when ChirpStack has some), stores them sealed, and never answers them', async () => {
    const tenantId = await tenantWithConnection();
    const device = snapshot(tenantId);
    await deliver('registered', device);
    const answer = await devices.setKeys(owner(tenantId), device.devEui, { nwkKey: NWK_KEY.toUpperCase(), appKey: APP_KEY });
    expect(answer).toMatchObject({ keys: 'pending', status: 'pending' });
    expect(JSON.stringify(answer)).not.toMatch(new RegExp(`${NWK_KEY}|${APP_KEY}`, 'i'));
    await worker.drain();
    expect(fake.keys(device.devEui)).toEqual({ nwkKey: NWK_KEY, appKey: APP_KEY });
    expect(fake.callsOf('DeviceService.CreateKeys').length).toBeGreaterThan(0);
    expect(await statusOf(device)).toMatchObject({ status: 'synced', keys: 'synced', keysSyncedAt: expect.any(String) });

    const stored = await db.withTenant(tenantId, (tx) => tx.$queryRaw<Array<{ keys_sealed: string }>>`SELECT keys_sealed FROM chirpstack.devices WHERE dev_eui = ${device.devEui}`);
    expect(stored[0].keys_sealed).not.toMatch(new RegExp(`${NWK_KEY}|${APP_KEY}`, 'i'));

    // A LoRaWAN 1.0.x device: its key is the NwkKey, and ChirpStack holds keys already.
    await devices.setKeys(owner(tenantId), device.devEui, { nwkKey: APP_KEY });
    await worker.drain();
    expect(fake.keys(device.devEui)).toEqual({ nwkKey: APP_KEY, appKey: '0'.repeat(32) });
    expect(fake.callsOf('DeviceService.UpdateKeys').length).toBeGreaterThan(0);
  });

  it('refuses keys for a device it has not heard of, and for a removed one, with 404', async () => {
    const tenantId = await tenantWithConnection();
    await expect(devices.setKeys(owner(tenantId), randomBytes(8).toString('hex'), { nwkKey: NWK_KEY })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const device = snapshot(tenantId);
    await deliver('registered', device);
    await deliver('removed', device);
    await expect(devices.setKeys(owner(tenantId), device.devEui, { nwkKey: NWK_KEY })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(devices.view(owner(randomUUID()), device.devEui)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes over the device a create repeated after its deadline finds: one device, not two', async () => {
    const tenantId = await tenantWithConnection();
    const device = snapshot(tenantId);
    fake.slow('DeviceService.Create', DEADLINE_MS + 500);
    await deliver('registered', device);
    await worker.drain();
    expect(await statusOf(device)).toMatchObject({ status: 'pending', attempts: 1, reason: expect.stringContaining('DEADLINE_EXCEEDED') });
    await fake.idle();
    fake.heal();
    expect(fake.device(device.devEui)).toBeDefined();

    await expectEventually(async () => {
      await worker.drain();
      expect(await statusOf(device)).toMatchObject({ status: 'synced', syncedVersion: 1 });
    });
    expect(createCallsFor(device.devEui).length).toBeGreaterThanOrEqual(2);
    expect(fake.devices().filter((d) => d.devEui === device.devEui)).toHaveLength(1);
  });

  it('reports a device ChirpStack holds that is not ours as failed, and leaves it as it is', async () => {
    const tenantId = await tenantWithConnection();
    const device = snapshot(tenantId);
    fake.putDevice({ devEui: device.devEui, name: 'someone else', description: '', applicationId, deviceProfileId: profileId, isDisabled: false, skipFcntCheck: false, joinEui: '0000000000000000', tags: {}, variables: {} });
    await deliver('registered', device);
    await worker.drain();
    const view = await statusOf(device);
    expect(view).toMatchObject({ status: 'failed', attempts: 1, reason: expect.stringContaining('not ours'), nextAttemptAt: expect.any(String) });
    expect(fake.device(device.devEui)).toMatchObject({ name: 'someone else', variables: {} });
  });

  it('fails a device without a profile for its codec, saying what to set, and one ChirpStack rejects, with its reason', async () => {
    const tenantId = await tenantWithConnection({ deviceProfiles: {} });
    const device = snapshot(tenantId);
    await deliver('registered', device);
    await worker.drain();
    // Not in ChirpStack anywhere yet: no connection is named, so a device naming another application may still go there.
    expect(await statusOf(device)).toMatchObject({ status: 'failed', connectionId: null, reason: expect.stringContaining(`deviceProfiles entry for "${CODEC}"`) });

    const rejected = snapshot(tenantId, { chirpstackProfileId: randomUUID() });
    // Until healed: earlier tests' devices retrying meanwhile must not use up the failure.
    fake.fail('DeviceService.Create', { code: status.INVALID_ARGUMENT, message: 'device-profile does not exist' });
    await deliver('registered', rejected);
    await worker.drain();
    expect(await statusOf(rejected)).toMatchObject({ status: 'failed', attempts: 1, reason: expect.stringContaining('device-profile does not exist') });
    expect(fake.device(rejected.devEui)).toBeUndefined();
    // A worker with nothing else to do sleeps until the retry is due (the backoff here is at most 1 s), not its 30-s safety interval.
    expect(await newWorker({ pollMs: 30_000 }).nextDueInMs()).toBeLessThanOrEqual(1_000);
    fake.heal();
    // Failures are tried again after their backoff.
    await expectEventually(async () => {
      await worker.drain();
      expect(await statusOf(rejected)).toMatchObject({ status: 'synced' });
    });
  });

  it('waits for a connection, and goes once the tenant has one', async () => {
    const tenantId = randomUUID();
    const device = snapshot(tenantId);
    await deliver('registered', device);
    await worker.drain();
    expect(await statusOf(device)).toMatchObject({ status: 'pending', reason: expect.stringContaining('Waiting for a ChirpStack connection'), nextAttemptAt: null, attempts: 0 });
    await connections.create(owner(tenantId), { name: 'LNS', apiUrl: fake.url, apiToken: TOKEN, chirpstackTenantId: randomUUID(), applicationId, deviceProfiles: { [CODEC]: profileId } });
    await worker.drain();
    expect(await statusOf(device)).toMatchObject({ status: 'synced' });
  });

  it('does not leave a device waiting for a connection that was added while its attempt looked for one', async () => {
    const tenantId = randomUUID();
    const device = snapshot(tenantId);
    await deliver('registered', device);
    const sync = new DeviceSync(db, connections, f.clients, f.vault, SYNC_OPTIONS);
    const admin = new Client({ connectionString: f.database.adminUrl });
    await admin.connect();
    try {
      // Holds the device's row: the attempt finds no connection, then waits to record that the device waits for one.
      await admin.query('BEGIN');
      await admin.query('SELECT 1 FROM chirpstack.devices WHERE dev_eui = $1 FOR UPDATE', [device.devEui]);
      const attempted = sync.attempt(tenantId, device.devEui);
      const waiting = async (lockType: string) =>
        (await admin.query(`SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = $1`, [lockType])).rowCount ?? 0;
      await expectEventually(async () => expect(await waiting('transactionid')).toBeGreaterThan(0));
      // The connection is added meanwhile: it waits for the attempt to record its outcome.
      let added = false;
      const adding = connections
        .create(owner(tenantId), { name: 'LNS', apiUrl: fake.url, apiToken: TOKEN, chirpstackTenantId: randomUUID(), applicationId, deviceProfiles: { [CODEC]: profileId } })
        .then(() => (added = true));
      await expectEventually(async () => expect(added || (await waiting('advisory')) > 0).toBe(true));
      await admin.query('COMMIT');
      await Promise.all([attempted, adding]);
    } finally {
      await admin.end();
    }
    // Due again, not waiting for a connection it has.
    expect((await statusOf(device)).nextAttemptAt).not.toBeNull();
    await worker.drain();
    expect(await statusOf(device)).toMatchObject({ status: 'synced' });
  });

  it('creates each device once when two replicas work at the same time', async () => {
    const tenantId = await tenantWithConnection();
    const batch = Array.from({ length: 12 }, () => snapshot(tenantId));
    for (const device of batch) await deliver('registered', device);
    const other = newWorker();
    await Promise.all([worker.drain(), other.drain()]);
    for (const device of batch) {
      expect(createCallsFor(device.devEui)).toHaveLength(1);
      expect((await statusOf(device)).status).toBe('synced');
    }
  });

  it('keeps devices pending through a one-minute outage, then syncs them all without a duplicate', async () => {
    const tenantId = await tenantWithConnection();
    const running = newWorker({ autoStart: true });
    running.onApplicationBootstrap();
    fake.outage(true);
    const batch = Array.from({ length: 5 }, () => snapshot(tenantId));
    for (const device of batch) await deliver('registered', device);
    const outageEnds = Date.now() + 60_000;

    await expectEventually(async () => {
      for (const device of batch) expect(await statusOf(device)).toMatchObject({ status: 'pending', attempts: expect.any(Number), reason: expect.any(String) });
      expect(Math.min(...(await Promise.all(batch.map(statusOf))).map((v) => v.attempts))).toBeGreaterThanOrEqual(2);
    }, { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
    for (const device of batch) expect(await statusOf(device)).toMatchObject({ status: 'pending' });
    expect(batch.every((device) => fake.device(device.devEui) === undefined)).toBe(true);
    fake.outage(false);

    await expectEventually(async () => {
      for (const device of batch) expect(await statusOf(device)).toMatchObject({ status: 'synced', attempts: 0 });
    }, { timeoutMs: 20_000 });
    for (const device of batch) expect(fake.devices().filter((d) => d.devEui === device.devEui)).toHaveLength(1);
  }, 120_000);
});

describe('a running device sync worker', () => {
  // Its own database: nothing else here is due, so only the wake can bring the worker round before its 30-s poll.
  let f: SyncFixture;
  beforeAll(async () => {
    f = await startSyncFixture({ deadlineMs: DEADLINE_MS, attempts: 2, firstDelayMs: 5, maxDelayMs: 20, breakAfter: 5, halfOpenAfterMs: 300 });
  });
  afterAll(() => f?.close());

  it('is woken by a new connection for the devices that waited for one, rather than at its next poll', async () => {
    const tenantId = randomUUID();
    const device = snapshot(tenantId);
    await f.deliver('registered', device);
    await f.worker.drain();
    const devices = new DeviceSyncUseCase(f.db, f.vault, f.worker);
    expect(await devices.view(owner(tenantId), device.devEui)).toMatchObject({ status: 'pending', nextAttemptAt: null });
    const running = f.newWorker({ pollMs: 30_000, autoStart: true });
    const woken = jest.spyOn(running, 'wake');
    running.onApplicationBootstrap();

    await f.connections.create(owner(tenantId), { name: 'LNS', apiUrl: f.fake.url, apiToken: TOKEN, chirpstackTenantId: randomUUID(), applicationId: f.applicationId, deviceProfiles: { [CODEC]: f.profileId } });
    expect(woken).toHaveBeenCalledTimes(1);
    await expectEventually(async () => expect(await devices.view(owner(tenantId), device.devEui)).toMatchObject({ status: 'synced' }), { timeoutMs: 5_000 });

    // A connection that finds nobody waiting wakes nobody.
    await f.connections.create(owner(tenantId), { name: 'LNS 2', apiUrl: f.fake.url, apiToken: TOKEN, chirpstackTenantId: randomUUID(), applicationId: f.applicationId, deviceProfiles: { [CODEC]: f.profileId } });
    expect(woken).toHaveBeenCalledTimes(1);
  });
});
