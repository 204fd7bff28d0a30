/** ChirpStack orphans (chirpstack.device.orphan_found.v1) against real PostgreSQL, as the runtime role (RLS applies). */
import { ChirpstackEvents, createEnvelope, Principal, ROLE_PERMISSIONS } from '@parking/contracts';
import { createIngestDatabase, IngestDatabase } from '@parking/ingest/data-access';
import { OutboxWriter, PoisonMessageError } from '@parking/messaging';
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeviceFields } from '../devices/device-fields';
import { DeviceImportUseCase } from '../devices/device-import.use-case';
import { DevicesUseCases } from '../devices/devices.use-cases';
import { ChirpstackOrphansConsumer } from './chirpstack-orphans.consumer';
import { OrphanAdmin } from './orphan-admin';
import type { RawWebhookRepublisher } from './raw-webhook-republisher';

const newEui = () => randomBytes(8).toString('hex');

function owner(tenantId: string): Principal {
  const userId = randomUUID();
  return { kind: 'user', tenantId, actor: `user:${userId}`, userId, role: 'owner', permissions: [...ROLE_PERMISSIONS.owner], isPlatformAdmin: false };
}

function device(devEui: string): DeviceFields {
  return {
    devEui,
    kind: 'sensor',
    codec: 'nwave-nps405',
    name: 'Bay 1',
    chirpstackApplicationId: null,
    chirpstackProfileId: null,
    heartbeatSeconds: null,
    tags: {},
    description: null,
    joinEui: null,
  };
}

function orphanFound(tenantId: string, devEui: string, overrides: Partial<ChirpstackEvents.DeviceOrphanFoundV1Data> = {}) {
  const data: ChirpstackEvents.DeviceOrphanFoundV1Data = {
    suggestedTenantId: tenantId,
    connectionId: randomUUID(),
    devEui,
    name: 'NPS405 spare',
    applicationId: 'app-1',
    deviceProfileId: 'profile-1',
    lastSeenAt: null,
    foundAt: '2026-12-06T09:30:00.000Z',
    ...overrides,
  };
  return createEnvelope(ChirpstackEvents.DeviceOrphanFoundV1, { tenantId, aggregateId: devEui, source: '/parking/chirpstack-sync', data });
}

describe('ChirpStack orphans (PostgreSQL, RLS)', () => {
  let database: TestDatabase;
  let db: IngestDatabase;
  let admin: Client;
  let consumer: ChirpstackOrphansConsumer;
  let devices: DevicesUseCases;
  let importer: DeviceImportUseCase;
  let orphanAdmin: OrphanAdmin;

  // Through the consumer's own transaction: the envelope tenant's, as the consumer runner opens it.
  const deliver = (envelope: ReturnType<typeof orphanFound>) => db.withTenant(envelope.tenantid, (tx) => consumer.handle(envelope, tx));
  // As the superuser: every tenant's rows.
  const rowsOf = async (devEui: string) =>
    (
      await admin.query(
        `SELECT tenant_id::text, connection_id::text, name, application_id, device_profile_id, last_seen_at, first_found_at, last_found_at, times_found
           FROM ingest.chirpstack_orphans WHERE dev_eui = $1 ORDER BY tenant_id`,
        [devEui],
      )
    ).rows;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createIngestDatabase({ url: database.urlFor('ingest'), poolMax: 4 });
    admin = new Client({ connectionString: database.adminUrl });
    await admin.connect();
    const outbox = new OutboxWriter({ schema: 'ingest', source: '/parking/ingest' });
    consumer = new ChirpstackOrphansConsumer();
    devices = new DevicesUseCases(db, outbox);
    importer = new DeviceImportUseCase(db, outbox);
    // No kept raw events in these tests, so nothing is republished.
    orphanAdmin = new OrphanAdmin(db, outbox, { publish: jest.fn() } as unknown as RawWebhookRepublisher);
  });

  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await database?.drop();
  });

  it('records an orphan for the suggested tenant, and counts it again with the newest details', async () => {
    const tenant = randomUUID();
    const devEui = newEui();
    const [first, second] = [randomUUID(), randomUUID()];
    await deliver(orphanFound(tenant, devEui, { connectionId: first, foundAt: '2026-12-06T09:30:00.000Z' }));
    expect(await rowsOf(devEui)).toEqual([
      {
        tenant_id: tenant,
        connection_id: first,
        name: 'NPS405 spare',
        application_id: 'app-1',
        device_profile_id: 'profile-1',
        last_seen_at: null,
        first_found_at: new Date('2026-12-06T09:30:00.000Z'),
        last_found_at: new Date('2026-12-06T09:30:00.000Z'),
        times_found: 1,
      },
    ]);

    await deliver(
      orphanFound(tenant, devEui, {
        connectionId: second,
        name: 'Bay 7',
        applicationId: 'app-2',
        deviceProfileId: 'profile-2',
        lastSeenAt: '2026-12-07T08:00:00.000Z',
        foundAt: '2026-12-07T09:30:00.000Z',
      }),
    );
    expect(await rowsOf(devEui)).toEqual([
      expect.objectContaining({
        connection_id: second,
        name: 'Bay 7',
        application_id: 'app-2',
        device_profile_id: 'profile-2',
        last_seen_at: new Date('2026-12-07T08:00:00.000Z'),
        first_found_at: new Date('2026-12-06T09:30:00.000Z'),
        last_found_at: new Date('2026-12-07T09:30:00.000Z'),
        times_found: 2,
      }),
    ]);

    // An older report arriving late counts, but does not replace the newer details.
    await deliver(orphanFound(tenant, devEui, { name: 'stale', foundAt: '2026-12-05T09:30:00.000Z' }));
    expect(await rowsOf(devEui)).toEqual([
      expect.objectContaining({
        connection_id: second,
        name: 'Bay 7',
        first_found_at: new Date('2026-12-05T09:30:00.000Z'),
        last_found_at: new Date('2026-12-07T09:30:00.000Z'),
        times_found: 3,
      }),
    ]);
  });

  it("keeps a tenant's orphans from every other tenant (RLS)", async () => {
    const [tenant, other] = [randomUUID(), randomUUID()];
    const devEui = newEui();
    await deliver(orphanFound(tenant, devEui));

    const seenBy = (tenantId: string) => db.withTenant(tenantId, (tx) => tx.chirpstackOrphan.findMany({ where: { devEui } }));
    expect((await seenBy(tenant)).map((row) => row.tenantId)).toEqual([tenant]);
    expect(await seenBy(other)).toEqual([]);
    // Nor may it change or delete them.
    expect(await db.withTenant(other, (tx) => tx.$executeRaw`UPDATE ingest.chirpstack_orphans SET times_found = 99 WHERE dev_eui = ${devEui}`)).toBe(0);
    expect(await db.withTenant(other, (tx) => tx.$executeRaw`DELETE FROM ingest.chirpstack_orphans WHERE dev_eui = ${devEui}`)).toBe(0);
    expect(await rowsOf(devEui)).toEqual([expect.objectContaining({ tenant_id: tenant, times_found: 1 })]);
  });

  it('records nothing for a devEUI the tenant has registered; one another tenant registered is still an orphan of this one', async () => {
    const [tenant, other] = [randomUUID(), randomUUID()];
    const [own, elsewhere] = [newEui(), newEui()];
    await devices.register(owner(tenant), device(own));
    await devices.register(owner(other), device(elsewhere));

    await deliver(orphanFound(tenant, own));
    await deliver(orphanFound(tenant, elsewhere));
    expect(await rowsOf(own)).toEqual([]);
    expect(await rowsOf(elsewhere)).toEqual([expect.objectContaining({ tenant_id: tenant })]);
  });

  it("deletes the tenant's orphan row when the tenant registers the devEUI, and only that tenant's", async () => {
    const [tenant, other] = [randomUUID(), randomUUID()];
    const devEui = newEui();
    await deliver(orphanFound(tenant, devEui));
    await deliver(orphanFound(other, devEui));
    expect((await rowsOf(devEui)).map((row) => row.tenant_id)).toEqual([tenant, other].sort());

    await devices.register(owner(tenant), device(devEui));
    expect((await rowsOf(devEui)).map((row) => row.tenant_id)).toEqual([other]);
  });

  it('deletes it on an import of the devEUI and on a platform admin assigning the devEUI to the tenant', async () => {
    const tenant = randomUUID();
    const [imported, assigned] = [newEui(), newEui()];
    await deliver(orphanFound(tenant, imported));
    await deliver(orphanFound(tenant, assigned));

    expect(await importer.execute(owner(tenant), { format: 'csv', text: `devEui,kind,codec,name\r\n${imported},sensor,nwave-nps405,Bay 2\r\n` })).toMatchObject({ imported: 1 });
    expect(await rowsOf(imported)).toEqual([]);

    // An event orphan too (no kept events), so that the admin can assign it.
    await admin.query(`INSERT INTO ingest.orphans (dev_eui, first_seen_at, last_seen_at, last_event, last_payload) VALUES ($1, now(), now(), 'up', '{}')`, [assigned]);
    const platformAdmin: Principal = { ...owner(randomUUID()), isPlatformAdmin: true };
    await orphanAdmin.assign(platformAdmin, 'ChirpStack orphan claimed', { devEui: assigned, tenantId: tenant, codec: 'nwave-nps405', name: 'Bay 3', kind: 'sensor' });
    expect(await rowsOf(assigned)).toEqual([]);
  });

  it('refuses, as poison, an event whose suggested tenant is not its envelope tenant', async () => {
    const devEui = newEui();
    const envelope = orphanFound(randomUUID(), devEui, { suggestedTenantId: randomUUID() });
    await expect(deliver(envelope)).rejects.toBeInstanceOf(PoisonMessageError);
    expect(await rowsOf(devEui)).toEqual([]);
  });
});
