/** The device registry's use cases against real PostgreSQL, as the runtime role (RLS applies). */
import { DEVICE_IMPORT_MAX_ROWS, DEVICE_IMPORTS_PER_MINUTE, IdentityEvents, Principal, ROLE_PERMISSIONS } from '@parking/contracts';
import { createIngestDatabase, IngestDatabase } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { DomainError } from '@parking/problem-details';
import { createTestDatabase, TestDatabase } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TenantLimitsConsumer } from '../tenant-limits/tenant-limits.consumer';
import { AdminDevicesUseCases } from './admin-devices.use-cases';
import { DeviceFields } from './device-fields';
import { DeviceImportUseCase } from './device-import.use-case';
import { DevicesUseCases } from './devices.use-cases';

function principal(tenantId: string, role: keyof typeof ROLE_PERMISSIONS = 'owner'): Principal {
  const userId = randomUUID();
  return { kind: 'user', tenantId, actor: `user:${userId}`, userId, role, permissions: [...ROLE_PERMISSIONS[role]], isPlatformAdmin: false };
}

function newEui(): string {
  return randomBytes(8).toString('hex');
}

function device(overrides: Partial<DeviceFields> = {}): DeviceFields {
  return {
    devEui: newEui(),
    kind: 'sensor',
    codec: 'nwave-nps405',
    name: 'Bay 1',
    chirpstackApplicationId: null,
    chirpstackProfileId: null,
    heartbeatSeconds: null,
    tags: {},
    description: null,
    joinEui: null,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, got success');
}

describe('device registry (PostgreSQL, RLS)', () => {
  let database: TestDatabase;
  let db: IngestDatabase;
  let admin: Client;
  let devices: DevicesUseCases;
  let importer: DeviceImportUseCase;
  let pool: AdminDevicesUseCases;
  let limits: TenantLimitsConsumer;

  const sql = async <T extends object>(query: string, values: unknown[] = []) => (await admin.query(query, values)).rows as T[];
  const setDeviceLimit = (tenantId: string, devicesLimit: number | null, version: number) =>
    db.withTenant(tenantId, (tx) =>
      limits.handle(
        {
          specversion: '1.0',
          id: randomUUID(),
          source: '/parking/identity',
          type: IdentityEvents.TENANT_LIMITS_CHANGED_V1,
          subject: tenantId,
          time: new Date().toISOString(),
          tenantid: tenantId,
          datacontenttype: 'application/json',
          data: {
            tenantId,
            plan: 'free',
            limits: { users: 3, apiKeys: 2, integrations: 1, sites: 1, spaces: 50, devices: devicesLimit, apiRequestsPerMinute: 60, reservationsPerMonth: 500 },
            features: {},
            version,
            changedAt: new Date().toISOString(),
          },
        },
        tx,
      ),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createIngestDatabase({ url: database.urlFor('ingest'), poolMax: 12 });
    admin = new Client({ connectionString: database.adminUrl });
    await admin.connect();
    const outbox = new OutboxWriter({ schema: 'ingest', source: '/parking/ingest' });
    devices = new DevicesUseCases(db, outbox);
    importer = new DeviceImportUseCase(db, outbox);
    pool = new AdminDevicesUseCases(db);
    limits = new TenantLimitsConsumer();
  });

  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await database?.drop();
  });

  it('registers a device with a normalised devEUI, its codec default heartbeat, and a registered event in the outbox', async () => {
    const owner = principal(randomUUID());
    const eui = newEui();
    const view = await devices.register(owner, device({ devEui: eui, name: 'Bay 12', tags: { level: '2' }, chirpstackApplicationId: 'app-1' }));
    expect(view).toMatchObject({ devEui: eui, kind: 'sensor', codec: 'nwave-nps405', name: 'Bay 12', heartbeatSeconds: null, tags: { level: '2' }, version: 1 });
    expect(view.health).toMatchObject({ lastSeenAt: null, online: false, heartbeatSeconds: 86400, uplinkCount: 0, session: 0, lastFCnt: null, location: null });

    const events = await sql<{ subject: string; tenant_id: string; envelope: { type: string; data: Record<string, unknown> } }>(
      'SELECT subject, tenant_id::text, envelope FROM ingest.outbox WHERE aggregate_id = $1',
      [view.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tenant_id: owner.tenantId, subject: `ingest.device.registered.v1.${owner.tenantId}.${view.id}` });
    expect(events[0].envelope.data).toMatchObject({
      tenantId: owner.tenantId,
      deviceId: view.id,
      devEui: eui,
      heartbeatSeconds: 86400,
      heartbeatOverride: null,
      chirpstackApplicationId: 'app-1',
      tags: { level: '2' },
      version: 1,
    });
  });

  it('keeps a description and a JoinEUI, shows them, changes or clears them, and carries them in the events', async () => {
    const owner = principal(randomUUID());
    const created = await devices.register(owner, device({ description: 'glued under bay 3', joinEui: '70b3d57ed0000001' }));
    expect(created).toMatchObject({ description: 'glued under bay 3', joinEui: '70b3d57ed0000001' });
    const changed = await devices.update(owner, created.devEui, { description: null, joinEui: '70b3d57ed0000002' });
    expect(changed).toMatchObject({ description: null, joinEui: '70b3d57ed0000002', version: 2 });
    const data = await sql<{ description: string | null; join_eui: string | null }>(
      "SELECT envelope->'data'->>'description' AS description, envelope->'data'->>'joinEui' AS join_eui FROM ingest.outbox WHERE aggregate_id = $1 ORDER BY seq",
      [created.id],
    );
    expect(data).toEqual([
      { description: 'glued under bay 3', join_eui: '70b3d57ed0000001' },
      { description: null, join_eui: '70b3d57ed0000002' },
    ]);
  });

  it('answers DEVICE_EXISTS for a devEUI held by this or another tenant, without saying which', async () => {
    const [a, b] = [principal(randomUUID()), principal(randomUUID())];
    const eui = newEui();
    await devices.register(a, device({ devEui: eui }));
    const own = await failure(devices.register(a, device({ devEui: eui })));
    const other = await failure(devices.register(b, device({ devEui: eui })));
    expect(own).toMatchObject({ code: 'DEVICE_EXISTS' });
    expect(other).toMatchObject({ code: 'DEVICE_EXISTS', detail: own.detail });
    expect(other.detail).not.toContain(a.tenantId);
    expect(await sql('SELECT 1 FROM ingest.devices WHERE dev_eui = $1', [eui])).toHaveLength(1);
  });

  it("keeps tenants apart: B can neither see, change nor remove A's device", async () => {
    const [a, b] = [principal(randomUUID()), principal(randomUUID())];
    const created = await devices.register(a, device());
    expect(await failure(devices.get(b, created.devEui))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(devices.update(b, created.devEui, { name: 'taken over' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(devices.remove(b, created.devEui))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await devices.list(b, { limit: 500 })).items.map((d) => d.id)).not.toContain(created.id);
    expect(await devices.get(a, created.devEui)).toEqual(created);
  });

  it('refuses a viewer writing, by permission', async () => {
    const tenantId = randomUUID();
    expect(await failure(devices.register(principal(tenantId, 'viewer'), device()))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await devices.list(principal(tenantId, 'viewer'), { limit: 10 })).items).toEqual([]);
  });

  it('updates only the named fields, grows the version, checks an expected version and announces the change', async () => {
    const owner = principal(randomUUID());
    const created = await devices.register(owner, device({ tags: { a: '1' } }));
    const updated = await devices.update(owner, created.devEui, { name: 'Renamed', heartbeatSeconds: 120, tags: { b: '2' }, version: 1 });
    expect(updated).toMatchObject({ name: 'Renamed', heartbeatSeconds: 120, tags: { b: '2' }, version: 2, codec: 'nwave-nps405' });
    expect(updated.health.heartbeatSeconds).toBe(120);
    expect(await failure(devices.update(owner, created.devEui, { name: 'stale', version: 1 }))).toMatchObject({ code: 'CONFLICT' });
    const unchanged = await devices.update(owner, created.devEui, { name: 'Renamed' });
    expect(unchanged.version).toBe(2);
    const cleared = await devices.update(owner, created.devEui, { heartbeatSeconds: null });
    expect(cleared).toMatchObject({ heartbeatSeconds: null, version: 3, health: { heartbeatSeconds: 86400 } });

    const types = await sql<{ type: string; version: number }>(
      "SELECT envelope->>'type' AS type, (envelope->'data'->>'version')::int AS version FROM ingest.outbox WHERE aggregate_id = $1 ORDER BY seq",
      [created.id],
    );
    expect(types).toEqual([
      { type: 'ingest.device.registered.v1', version: 1 },
      { type: 'ingest.device.updated.v1', version: 2 },
      { type: 'ingest.device.updated.v1', version: 3 },
    ]);
  });

  it('removes a device, announces it, and lets the devEUI be registered again', async () => {
    const [a, b] = [principal(randomUUID()), principal(randomUUID())];
    const created = await devices.register(a, device());
    const removed = await devices.remove(a, created.devEui);
    expect(removed.id).toBe(created.id);
    expect(await failure(devices.get(a, created.devEui))).toMatchObject({ code: 'NOT_FOUND' });
    const [event] = await sql<{ type: string }>("SELECT envelope->>'type' AS type FROM ingest.outbox WHERE aggregate_id = $1 ORDER BY seq DESC LIMIT 1", [created.id]);
    expect(event.type).toBe('ingest.device.removed.v1');
    expect((await devices.register(b, device({ devEui: created.devEui }))).devEui).toBe(created.devEui);
  });

  describe('lists', () => {
    const owner = principal(randomUUID());
    const made: Record<string, string> = {};

    beforeAll(async () => {
      await setDeviceLimit(owner.tenantId, null, 1);
      made.fresh = (await devices.register(owner, device({ name: 'Alpha fresh', codec: 'bosch-tps110', tags: { level: '1' } }))).devEui;
      made.silent = (await devices.register(owner, device({ name: 'Beta silent', heartbeatSeconds: 60, tags: { level: '2' } }))).devEui;
      made.never = (await devices.register(owner, device({ name: 'Gamma never', kind: 'display', codec: 'chirpstack-object' }))).devEui;
      made.low = (await devices.register(owner, device({ name: 'Delta low' }))).devEui;
      // The health columns, as the uplink pipeline writes them.
      await sql("UPDATE ingest.devices SET last_seen_at = now() - interval '1 minute', battery_percent = 90, rssi = -80, uplink_count = 5 WHERE dev_eui = $1", [made.fresh]);
      await sql("UPDATE ingest.devices SET last_seen_at = now() - interval '3 minutes', battery_percent = 50 WHERE dev_eui = $1", [made.silent]);
      await sql(
        "UPDATE ingest.devices SET last_seen_at = now(), battery_percent = 12, latitude = 52.5, longitude = 13.4, location_source = 'gps' WHERE dev_eui = $1",
        [made.low],
      );
    });

    const euis = (page: { items: Array<{ devEui: string }> }) => page.items.map((d) => d.devEui);

    it('shows health and whether each device is online (within 2 × its heartbeat)', async () => {
      const page = await devices.list(owner, { limit: 50 });
      const byEui = new Map(page.items.map((d) => [d.devEui, d]));
      expect(byEui.get(made.fresh)?.health).toMatchObject({ online: true, batteryPercent: 90, rssi: -80, uplinkCount: 5, heartbeatSeconds: 86400 });
      expect(byEui.get(made.silent)?.health).toMatchObject({ online: false, heartbeatSeconds: 60 });
      expect(byEui.get(made.never)?.health).toMatchObject({ online: false, lastSeenAt: null });
      expect(byEui.get(made.low)?.health.location).toMatchObject({ latitude: 52.5, longitude: 13.4, source: 'gps' });
    });

    it('filters by status, battery, kind, codec, tag and name or devEUI prefix', async () => {
      expect(euis(await devices.list(owner, { limit: 50, status: 'online' })).sort()).toEqual([made.fresh, made.low].sort());
      expect(euis(await devices.list(owner, { limit: 50, status: 'offline' })).sort()).toEqual([made.silent, made.never].sort());
      expect(euis(await devices.list(owner, { limit: 50, batteryBelow: 20 }))).toEqual([made.low]);
      expect(euis(await devices.list(owner, { limit: 50, kind: 'display' }))).toEqual([made.never]);
      expect(euis(await devices.list(owner, { limit: 50, codec: 'bosch-tps110' }))).toEqual([made.fresh]);
      expect(euis(await devices.list(owner, { limit: 50, tag: { key: 'level', value: '2' } }))).toEqual([made.silent]);
      expect(euis(await devices.list(owner, { limit: 50, q: 'beta' }))).toEqual([made.silent]);
      expect(euis(await devices.list(owner, { limit: 50, q: made.never.slice(0, 10).toUpperCase() }))).toEqual([made.never]);
      expect(euis(await devices.list(owner, { limit: 50, q: '%' }))).toEqual([]);
    });

    it('pages with a stable keyset cursor, unaffected by devices added or removed meanwhile', async () => {
      const first = await devices.list(owner, { limit: 2 });
      expect(euis(first)).toEqual([made.fresh, made.silent]);
      expect(first.nextCursor).toEqual(expect.any(String));
      // A device added after the first page shows up at the end; removing one already seen shifts nothing.
      const late = (await devices.register(owner, device({ name: 'Epsilon late' }))).devEui;
      await devices.remove(owner, made.fresh);
      const second = await devices.list(owner, { limit: 2, cursor: first.nextCursor ?? undefined });
      expect(euis(second)).toEqual([made.never, made.low]);
      const third = await devices.list(owner, { limit: 2, cursor: second.nextCursor ?? undefined });
      expect(third).toMatchObject({ nextCursor: null });
      expect(euis(third)).toEqual([late]);
      expect(await failure(devices.list(owner, { limit: 2, cursor: 'not-a-cursor' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });

  describe('device limit', () => {
    it('falls back to the free plan, then follows the newest limits event, ignoring older ones', async () => {
      const owner = principal(randomUUID());
      await setDeviceLimit(owner.tenantId, 2, 3);
      await setDeviceLimit(owner.tenantId, 100, 2);
      expect(await sql('SELECT devices, version FROM ingest.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ devices: 2, version: 3 }]);
      await devices.register(owner, device());
      await devices.register(owner, device());
      const refused = await failure(devices.register(owner, device()));
      expect(refused).toMatchObject({ code: 'LIMIT_EXCEEDED', extras: { limit: 'devices', max: 2, used: 2 }, errors: [{ field: 'limits.devices', message: 'at most 2' }] });
      expect(await sql('SELECT 1 FROM ingest.devices WHERE tenant_id = $1', [owner.tenantId])).toHaveLength(2);

      const fresh = principal(randomUUID());
      await expect(importer.execute(fresh, { format: 'json', devices: Array.from({ length: 50 }, () => ({ ...device(), heartbeatSeconds: undefined })) })).resolves.toMatchObject({ imported: 50 });
      expect(await failure(devices.register(fresh, device()))).toMatchObject({ code: 'LIMIT_EXCEEDED', extras: { max: 50 } });
    });

    it('holds under concurrent registrations', async () => {
      const owner = principal(randomUUID());
      await setDeviceLimit(owner.tenantId, 3, 1);
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => devices.register(owner, device())));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(refused.every((error) => error instanceof DomainError && error.code === 'LIMIT_EXCEEDED')).toBe(true);
      expect(await sql('SELECT 1 FROM ingest.devices WHERE tenant_id = $1', [owner.tenantId])).toHaveLength(3);
    });

    it('refuses an import that would pass the limit, applying none of it', async () => {
      const owner = principal(randomUUID());
      await setDeviceLimit(owner.tenantId, 3, 1);
      await devices.register(owner, device());
      const rows = Array.from({ length: 3 }, () => ({ devEui: newEui(), kind: 'sensor', codec: 'nwave-nps405', name: 'x' }));
      expect(await failure(importer.execute(owner, { format: 'json', devices: rows }))).toMatchObject({ code: 'LIMIT_EXCEEDED', extras: { max: 3, used: 1 } });
      expect(await sql('SELECT 1 FROM ingest.devices WHERE tenant_id = $1', [owner.tenantId])).toHaveLength(1);
    });
  });

  describe('import', () => {
    it('imports a CSV file in one transaction, in file order, with an event per device', async () => {
      const owner = principal(randomUUID());
      const [e1, e2] = [newEui(), newEui()];
      const csv = `DevEUI,kind,codec,name,heartbeatSeconds,tags\r\n${e1.toUpperCase().match(/../g)!.join(':')},sensor,dingtek-do201,"Bay 1, north",300,level:1;zone:n\r\n${e2},display,chirpstack-object,Sign,,\r\n`;
      expect(await importer.execute(owner, { format: 'csv', text: csv })).toEqual({ imported: 2, devEuis: [e1, e2] });
      const page = await devices.list(owner, { limit: 10 });
      expect(page.items.map((d) => [d.devEui, d.name, d.heartbeatSeconds, d.tags])).toEqual([
        [e1, 'Bay 1, north', 300, { level: '1', zone: 'n' }],
        [e2, 'Sign', null, {}],
      ]);
      const events = await sql<{ n: string }>("SELECT count(*)::text AS n FROM ingest.outbox WHERE tenant_id = $1 AND envelope->>'type' = 'ingest.device.registered.v1'", [owner.tenantId]);
      expect(events).toEqual([{ n: '2' }]);
    });

    it('imports the largest allowed file well inside the transaction limit', async () => {
      const owner = principal(randomUUID());
      await setDeviceLimit(owner.tenantId, null, 1);
      const lines = Array.from({ length: DEVICE_IMPORT_MAX_ROWS }, (_, i) => `${newEui()},sensor,nwave-nps405,Bay ${i},level:${i % 5}`);
      const result = await importer.execute(owner, { format: 'csv', text: ['devEui,kind,codec,name,tags', ...lines].join('\n') });
      expect(result.imported).toBe(DEVICE_IMPORT_MAX_ROWS);
      const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM ingest.outbox WHERE tenant_id = $1', [owner.tenantId]);
      expect(n).toBe(DEVICE_IMPORT_MAX_ROWS);
    }, 60_000);

    it('rejects a CSV file with bad rows by line number and applies nothing', async () => {
      const owner = principal(randomUUID());
      const taken = (await devices.register(principal(randomUUID()), device())).devEui;
      const good = newEui();
      const csv = [
        'devEui,kind,codec,name',
        `${good},sensor,nwave-nps405,ok`,
        `${newEui()},sensor,nwave,bad codec`,
        '',
        `zz,lamp,nwave-nps405,`,
        `${good},sensor,nwave-nps405,twice`,
        `${taken},sensor,nwave-nps405,taken`,
        `${newEui()},sensor,nwave-nps405,"multi`,
        `line",extra`,
      ].join('\n');
      const error = await failure(importer.execute(owner, { format: 'csv', text: csv }));
      expect(error.code).toBe('IMPORT_REJECTED');
      const rows = (error.extras as { rows: Array<{ line: number; field: string; message: string }> }).rows;
      expect(rows.map((r) => [r.line, r.field])).toEqual([
        [3, 'codec'],
        [5, 'devEui'],
        [5, 'kind'],
        [5, 'name'],
        [6, 'devEui'],
        [8, 'csv'],
      ]);
      expect(rows[0].message).toContain('nwave-nps405, nwave-nps310');
      expect(rows[4].message).toContain('first at line 2');
      // Line 7's devEUI is another tenant's: counted, not named.
      expect(error.extras).toMatchObject({ unavailable: 1 });
      expect(JSON.stringify(error.extras)).not.toContain(taken);
      expect(error.errors?.[0]).toEqual({ field: 'line 3.codec', message: rows[0].message });
      expect(await sql('SELECT 1 FROM ingest.devices WHERE tenant_id = $1', [owner.tenantId])).toEqual([]);
      expect(await sql('SELECT 1 FROM ingest.outbox WHERE tenant_id = $1', [owner.tenantId])).toEqual([]);
    });

    it("does not say which rows another tenant holds: it counts them, and names only rows this tenant holds", async () => {
      const [mine, theirs] = [principal(randomUUID()), principal(randomUUID())];
      const own = (await devices.register(mine, device())).devEui;
      const taken = [(await devices.register(theirs, device())).devEui, (await devices.register(theirs, device())).devEui];
      const rows = [newEui(), own, ...taken].map((devEui, i) => ({ devEui, kind: 'sensor', codec: 'nwave-nps405', name: `row ${i}` }));
      const error = await failure(importer.execute(mine, { format: 'json', devices: rows }));
      expect(error.code).toBe('IMPORT_REJECTED');
      expect(error.extras).toEqual({ rows: [{ index: 1, devEui: own, field: 'devEui', message: 'is registered in this tenant already' }], unavailable: 2 });
      expect(error.detail).toContain('2 rows');
      for (const devEui of taken) expect(JSON.stringify({ detail: error.detail, extras: error.extras, errors: error.errors })).not.toContain(devEui);
      expect(await sql('SELECT 1 FROM ingest.devices WHERE tenant_id = $1', [mine.tenantId])).toHaveLength(1);

      // Only other tenants' devEUIs: the same answer, a count and no row.
      const only = await failure(importer.execute(mine, { format: 'json', devices: [{ devEui: taken[1], kind: 'sensor', codec: 'nwave-nps405', name: 'x' }] }));
      expect(only.extras).toEqual({ rows: [], unavailable: 1 });
    });

    it('throttles imports per tenant: past DEVICE_IMPORTS_PER_MINUTE in a minute RATE_LIMITED with the seconds to wait, rejected imports counted too', async () => {
      const [busy, calm] = [principal(randomUUID()), principal(randomUUID())];
      const valid = () => ({ devEui: newEui(), kind: 'sensor', codec: 'nwave-nps405', name: 'x' });
      for (let i = 0; i < DEVICE_IMPORTS_PER_MINUTE; i++) {
        expect(await failure(importer.execute(busy, { format: 'json', devices: ['not a device'] }))).toMatchObject({ code: 'IMPORT_REJECTED' });
      }
      const throttled = await failure(importer.execute(busy, { format: 'json', devices: [valid()] }));
      expect(throttled).toMatchObject({ code: 'RATE_LIMITED', extras: { limit: DEVICE_IMPORTS_PER_MINUTE, retryAfterSeconds: expect.any(Number) } });
      const wait = (throttled.extras as { retryAfterSeconds: number }).retryAfterSeconds;
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(await sql('SELECT 1 FROM ingest.devices WHERE tenant_id = $1', [busy.tenantId])).toEqual([]);
      // Another tenant imports as usual.
      expect(await importer.execute(calm, { format: 'json', devices: [valid()] })).toMatchObject({ imported: 1 });

      // A minute after the window opened, the tenant may import again.
      await sql(`UPDATE ingest.device_import_windows SET window_start = window_start - interval '61 seconds' WHERE tenant_id = $1`, [busy.tenantId]);
      expect(await importer.execute(busy, { format: 'json', devices: [valid()] })).toMatchObject({ imported: 1 });
    });

    it('rejects a JSON import with bad rows by index and applies nothing', async () => {
      const owner = principal(randomUUID());
      const error = await failure(
        importer.execute(owner, {
          format: 'json',
          devices: [{ devEui: newEui(), kind: 'sensor', codec: 'nwave-nps405', name: 'ok' }, 'nope', { devEui: newEui(), kind: 'sensor', codec: 'nwave-nps405', name: 'x', colour: 'red' }],
        }),
      );
      expect(error.code).toBe('IMPORT_REJECTED');
      expect((error.extras as { rows: unknown[] }).rows).toEqual([
        { index: 1, field: 'device', message: 'must be an object' },
        { index: 2, devEui: expect.any(String), field: 'colour', message: 'property colour should not exist' },
      ]);
      expect(await sql('SELECT 1 FROM ingest.devices WHERE tenant_id = $1', [owner.tenantId])).toEqual([]);
    });

    it('names a bad header, refuses too many rows with PAYLOAD_TOO_LARGE, and an empty file', async () => {
      const owner = principal(randomUUID());
      const header = await failure(importer.execute(owner, { format: 'csv', text: 'devEui,kind,colour\n0011223344556677,sensor,red\n' }));
      expect(header.code).toBe('IMPORT_REJECTED');
      expect((header.extras as { rows: Array<{ line: number; field: string }> }).rows.map((r) => [r.line, r.field])).toEqual([
        [1, 'colour'],
        [1, 'codec'],
        [1, 'name'],
      ]);
      const tooMany = Array.from({ length: DEVICE_IMPORT_MAX_ROWS + 1 }, () => ({}));
      expect(await failure(importer.execute(owner, { format: 'json', devices: tooMany }))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(await failure(importer.execute(owner, { format: 'csv', text: 'devEui,kind,codec,name\n' }))).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });

  describe('platform admin', () => {
    it('lists the pool across tenants and counts it, leaving an audit row with the reason', async () => {
      const [a, b] = [principal(randomUUID()), principal(randomUUID())];
      await devices.register(a, device({ codec: 'browan-tbdw100' }));
      await devices.register(b, device({ kind: 'display', codec: 'chirpstack-object' }));
      const root = { ...principal(randomUUID()), isPlatformAdmin: true };
      const page = await pool.list(root, 'int test: pool', { tenantId: b.tenantId, limit: 10 });
      expect(page.items.map((d) => d.tenantId)).toEqual([b.tenantId]);
      const all = await pool.list(root, 'int test: pool', { codec: 'browan-tbdw100', limit: 500 });
      expect(all.items.map((d) => d.tenantId)).toContain(a.tenantId);

      const stats = await pool.stats(root, 'int test: stats');
      expect(stats.byTenant.find((t) => t.tenantId === b.tenantId)).toEqual({ tenantId: b.tenantId, devices: 1, online: 0, offline: 1, lowBattery: 0 });
      expect(stats.total).toBe(stats.online + stats.offline);
      expect(stats.byKind.display).toBeGreaterThanOrEqual(1);
      expect(stats.byCodec['browan-tbdw100']).toBeGreaterThanOrEqual(1);
      expect(await sql("SELECT actor FROM ingest.platform_audit WHERE reason = 'int test: stats'")).toEqual([{ actor: root.actor }]);

      expect(await failure(pool.stats(a, 'not an admin'))).toMatchObject({ code: 'FORBIDDEN' });
    });
  });
});
