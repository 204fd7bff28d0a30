/** Drift adopted from ChirpStack (chirpstack.device.drift_adopted.v1) against real PostgreSQL, as the runtime role (RLS applies). */
import { ChirpstackEvents, createEnvelope, DeviceView, Principal, ROLE_PERMISSIONS } from '@parking/contracts';
import { createIngestDatabase, IngestDatabase } from '@parking/ingest/data-access';
import { OutboxWriter, PoisonMessageError } from '@parking/messaging';
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ChirpstackDriftConsumer } from './chirpstack-drift.consumer';
import { DeviceFields } from './device-fields';
import { DevicesUseCases } from './devices.use-cases';

const newEui = () => randomBytes(8).toString('hex');

function owner(tenantId: string): Principal {
  const userId = randomUUID();
  return { kind: 'user', tenantId, actor: `user:${userId}`, userId, role: 'owner', permissions: [...ROLE_PERMISSIONS.owner], isPlatformAdmin: false };
}

function device(overrides: Partial<DeviceFields> = {}): DeviceFields {
  return {
    devEui: newEui(),
    kind: 'sensor',
    codec: 'nwave-nps405',
    name: 'Bay 1',
    chirpstackApplicationId: 'app-1',
    chirpstackProfileId: 'profile-1',
    heartbeatSeconds: null,
    tags: { level: '1' },
    description: 'by the ramp',
    joinEui: null,
    ...overrides,
  };
}

function driftAdopted(
  tenantId: string,
  target: Pick<DeviceView, 'id' | 'devEui' | 'version'>,
  changes: ChirpstackEvents.DeviceDriftAdoptedV1Data['changes'],
  overrides: Partial<ChirpstackEvents.DeviceDriftAdoptedV1Data> = {},
) {
  const data: ChirpstackEvents.DeviceDriftAdoptedV1Data = {
    tenantId,
    deviceId: target.id,
    devEui: target.devEui,
    connectionId: randomUUID(),
    runId: randomUUID(),
    deviceVersion: target.version,
    changes,
    ...overrides,
  };
  return createEnvelope(ChirpstackEvents.DeviceDriftAdoptedV1, { tenantId, aggregateId: target.id, source: '/parking/chirpstack-sync', data });
}

describe('drift adopted from ChirpStack (PostgreSQL, RLS)', () => {
  let database: TestDatabase;
  let db: IngestDatabase;
  let admin: Client;
  let consumer: ChirpstackDriftConsumer;
  let devices: DevicesUseCases;

  // Through the consumer's own transaction: the envelope tenant's, as the consumer runner opens it.
  const deliver = (envelope: ReturnType<typeof driftAdopted>) => db.withTenant(envelope.tenantid, (tx) => consumer.handle(envelope, tx));
  // As the superuser: every tenant's rows.
  const updatesOf = async (deviceId: string) =>
    (
      await admin.query<{ subject: string; tenant_id: string; data: Record<string, unknown> }>(
        "SELECT subject, tenant_id::text, envelope->'data' AS data FROM ingest.outbox WHERE aggregate_id = $1 AND envelope->>'type' = 'ingest.device.updated.v1' ORDER BY seq",
        [deviceId],
      )
    ).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createIngestDatabase({ url: database.urlFor('ingest'), poolMax: 4 });
    admin = new Client({ connectionString: database.adminUrl });
    await admin.connect();
    const outbox = new OutboxWriter({ schema: 'ingest', source: '/parking/ingest' });
    consumer = new ChirpstackDriftConsumer(outbox);
    devices = new DevicesUseCases(db, outbox);
  });

  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await database?.drop();
  });

  it("takes ChirpStack's values, grows the version and announces the device as updated", async () => {
    const tenant = randomUUID();
    const created = await devices.register(owner(tenant), device());
    const changes = { name: 'Bay 12 (north)', description: 'by the lift', tags: { level: '2', zone: 'north' }, chirpstackProfileId: 'profile-2' };

    await deliver(driftAdopted(tenant, created, changes));

    const adopted = await devices.get(owner(tenant), created.devEui);
    expect(adopted).toMatchObject({ ...changes, version: 2, codec: 'nwave-nps405', chirpstackApplicationId: 'app-1' });
    expect(adopted.updatedAt > created.updatedAt).toBe(true);
    expect(await updatesOf(created.id)).toEqual([
      {
        subject: expect.stringMatching(/^ingest\.device\.updated\.v1\./),
        tenant_id: tenant,
        data: expect.objectContaining({ tenantId: tenant, deviceId: created.id, devEui: created.devEui, ...changes, version: 2, at: adopted.updatedAt }),
      },
    ]);
  });

  it('changes only the fields the event names; a null description clears it', async () => {
    const tenant = randomUUID();
    const created = await devices.register(owner(tenant), device());

    await deliver(driftAdopted(tenant, created, { name: 'Bay 7' }));
    expect(await devices.get(owner(tenant), created.devEui)).toMatchObject({
      name: 'Bay 7',
      description: 'by the ramp',
      tags: { level: '1' },
      chirpstackProfileId: 'profile-1',
      version: 2,
    });

    await deliver(driftAdopted(tenant, { ...created, version: 2 }, { description: null }));
    expect(await devices.get(owner(tenant), created.devEui)).toMatchObject({ name: 'Bay 7', description: null, tags: { level: '1' }, version: 3 });
    expect((await updatesOf(created.id)).map((row) => [row.data.name, row.data.description, row.data.tags, row.data.version])).toEqual([
      ['Bay 7', 'by the ramp', { level: '1' }, 2],
      ['Bay 7', null, { level: '1' }, 3],
    ]);
  });

  it('changes nothing, and announces nothing, when the device changed since the run read it', async () => {
    const tenant = randomUUID();
    const created = await devices.register(owner(tenant), device());
    await devices.update(owner(tenant), created.devEui, { name: 'Renamed here' });

    await deliver(driftAdopted(tenant, created, { name: 'Renamed in ChirpStack', tags: {} }));
    expect(await devices.get(owner(tenant), created.devEui)).toMatchObject({ name: 'Renamed here', tags: { level: '1' }, version: 2 });
    expect((await updatesOf(created.id)).map((row) => row.data.name)).toEqual(['Renamed here']);
  });

  it("leaves another tenant's device untouched (RLS)", async () => {
    const [tenant, other] = [randomUUID(), randomUUID()];
    const theirs = await devices.register(owner(other), device());

    await deliver(driftAdopted(tenant, theirs, { name: 'taken over' }));
    expect(await devices.get(owner(other), theirs.devEui)).toEqual(theirs);
    expect(await updatesOf(theirs.id)).toEqual([]);
  });

  it('acknowledges an unknown or removed device, and one whose devEUI is not the one the run compared, changing nothing', async () => {
    const tenant = randomUUID();
    const removed = await devices.register(owner(tenant), device());
    await devices.remove(owner(tenant), removed.devEui);
    const kept = await devices.register(owner(tenant), device());

    await expect(deliver(driftAdopted(tenant, { id: randomUUID(), devEui: newEui(), version: 1 }, { name: 'nobody' }))).resolves.toBeUndefined();
    await expect(deliver(driftAdopted(tenant, removed, { name: 'gone' }))).resolves.toBeUndefined();
    await expect(deliver(driftAdopted(tenant, { ...kept, devEui: newEui() }, { name: 'another devEUI' }))).resolves.toBeUndefined();
    expect(await devices.get(owner(tenant), kept.devEui)).toEqual(kept);
    expect(await updatesOf(removed.id)).toEqual([]);
    expect(await updatesOf(kept.id)).toEqual([]);
  });

  it('grows no version and announces nothing when the registry already holds the values', async () => {
    const tenant = randomUUID();
    const created = await devices.register(owner(tenant), device());

    await deliver(driftAdopted(tenant, created, { name: 'Bay 1', tags: { level: '1' } }));
    expect(await devices.get(owner(tenant), created.devEui)).toEqual(created);
    expect(await updatesOf(created.id)).toEqual([]);
  });

  it('refuses, as poison, an event whose tenant is not its envelope tenant', async () => {
    const tenant = randomUUID();
    const created = await devices.register(owner(tenant), device());
    const envelope = { ...driftAdopted(tenant, created, { name: 'Bay 9' }), tenantid: randomUUID() };

    await expect(deliver(envelope)).rejects.toBeInstanceOf(PoisonMessageError);
    expect(await devices.get(owner(tenant), created.devEui)).toEqual(created);
  });
});
