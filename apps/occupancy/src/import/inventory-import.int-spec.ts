import {
  IdentityEvents,
  ImportInventoryResponse,
  IngestEvents,
  OCCUPANCY_IMPORT_RPC,
  OCCUPANCY_RPC,
  OccupancyEvents,
  Principal,
  SiteAvailabilityResponse,
  SiteView,
  SpaceView,
  ZoneView,
} from '@parking/contracts';
import { createRpcClient, RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { expectEventually, TEST_RPC_KEYS } from '@parking/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { claimNamespace, deviceSnapshot, limitsChanged, OccupancyHarness, principalFor, RpcTarget, startOccupancy, subjectOf, sendAsGateway } from '../../test/occupancy-harness';

const namespace = claimNamespace();
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

const newEui = () => randomBytes(8).toString('hex');
const labelled = (devEui: string) => devEui.toUpperCase().match(/../g)?.join('-') ?? devEui;

describe('occupancy: bulk import of sites, zones, spaces and sensor assignments (real PostgreSQL and NATS)', () => {
  let h: OccupancyHarness;
  let rpc: RpcClient;

  const send = <T>(target: RpcTarget, payload: unknown) => sendAsGateway<T>(rpc, target, payload);
  async function failure(target: RpcTarget, payload: unknown): Promise<DomainError> {
    const outcome = await send(target, payload).then(
      (reply) => new Error(`expected ${subjectOf(target)} to fail, it answered ${JSON.stringify(reply)}`),
      (error: unknown) => error,
    );
    if (!(outcome instanceof DomainError)) throw outcome;
    return outcome;
  }
  const importCsv = (principal: Principal, text: string) => send<ImportInventoryResponse>(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'csv', text });
  const importJson = (principal: Principal, lists: Record<string, unknown[]>) => send<ImportInventoryResponse>(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'json', ...lists });
  const availability = (principal: Principal, siteId: string) => send<SiteAvailabilityResponse>(OCCUPANCY_RPC.siteAvailability, { principal, siteId });

  /** What a tenant holds, to show a refused import wrote nothing. */
  async function inventoryOf(tenantId: string): Promise<Record<string, number>> {
    const [row] = await h.sql<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM occupancy.sites WHERE tenant_id = $1) AS sites,
              (SELECT count(*)::int FROM occupancy.zones WHERE tenant_id = $1) AS zones,
              (SELECT count(*)::int FROM occupancy.spaces WHERE tenant_id = $1) AS spaces,
              (SELECT count(*)::int FROM occupancy.space_sensors WHERE tenant_id = $1) AS assignments,
              (SELECT coalesce(sum(total), 0)::int FROM occupancy.site_availability WHERE tenant_id = $1) AS counted,
              (SELECT count(*)::int FROM occupancy.outbox WHERE tenant_id = $1) AS events`,
      [tenantId],
    );
    return row;
  }

  /** A tenant without plan limits (as identity announces for enterprise), with `sensors` registered. */
  async function tenantWith(sensors: string[], displays: string[] = []): Promise<{ tenantId: string; principal: Principal }> {
    const tenantId = randomUUID();
    await h.sql('INSERT INTO occupancy.tenant_limits (tenant_id, sites, spaces, version) VALUES ($1, NULL, NULL, 1)', [tenantId]);
    const devices = [...sensors.map((eui) => deviceSnapshot(tenantId, eui)), ...displays.map((eui) => deviceSnapshot(tenantId, eui, { kind: 'display' }))];
    for (const device of devices) await h.publish(IngestEvents.DeviceRegisteredV1, tenantId, device.deviceId, device);
    await expectEventually(async () => expect(await h.sql('SELECT 1 FROM occupancy.sensors WHERE tenant_id = $1', [tenantId])).toHaveLength(devices.length));
    return { tenantId, principal: principalFor(tenantId) };
  }

  beforeAll(async () => {
    h = await startOccupancy({ namespace, rpc: true });
    rpc = createRpcClient({ natsUrl: NATS_URL, name: 'occupancy-import-spec', namespace, timeoutMs: 30_000, proof: TEST_RPC_KEYS.gatewayProof });
  });
  afterAll(async () => {
    await rpc?.close();
    await h?.stop();
  });

  it('creates a site, its nested zones, spaces and sensor assignments from one CSV, counting every new space unknown in its zones and site', async () => {
    const [s1, s2, s3] = [newEui(), newEui(), newEui()];
    const { tenantId, principal } = await tenantWith([s1, s2, s3]);
    // Children before their parents and assignments before their spaces: order in the file does not matter.
    const csv = [
      'kind,site,name,code,zone,parent,category,type,tags,latitude,longitude,timeZone,devEui',
      `assignment,Harbour Garage,,B-2,,,,,,,,,${labelled(s3)}`,
      'zone,Harbour Garage,North,,,Level 1,,,,,,,',
      `space,Harbour Garage,Bay 1,A-1,North,,,ev,covered;charger,53.54,9.98,,${s1}`,
      `space,Harbour Garage,,A-2,North,,,,,,,,${s2}`,
      'space,Harbour Garage,,B-1,Level 1,,,disabled,,,,,',
      'space,Harbour Garage,,B-2,Level 1,,,,,,,,',
      'space,Harbour Garage,,C-1,,,on_street,,,,,,',
      'level,Harbour Garage,Level 1,,,,,,,,,,',
      'site,,Harbour Garage,,,,off_street,,,53.5,9.9,Europe/Berlin,',
    ].join('\n');
    const result = await importCsv(principal, csv);
    expect(result.created).toEqual({ sites: 1, zones: 2, spaces: 5, assignments: 3 });
    const site = await send<SiteView>(OCCUPANCY_RPC.getSite, { principal, siteId: result.sites[0].id });
    expect(site).toMatchObject({ name: 'Harbour Garage', category: 'off_street', timeZone: 'Europe/Berlin', location: { latitude: 53.5, longitude: 9.9 } });
    const level = result.zones.find((z) => z.name === 'Level 1')?.id as string;
    const north = result.zones.find((z) => z.name === 'North')?.id as string;
    expect(await send<ZoneView>(OCCUPANCY_RPC.getZone, { principal, zoneId: north })).toMatchObject({ parentZoneId: level, siteId: site.id });
    expect(await send<ZoneView>(OCCUPANCY_RPC.getZone, { principal, zoneId: level })).toMatchObject({ kind: 'level', parentZoneId: null });

    const counts = await availability(principal, site.id);
    expect(counts.counts).toEqual({ free: 0, occupied: 0, reserved: 0, maintenance: 0, unknown: 5, total: 5 });
    expect(counts.zones.find((z) => z.zoneId === level)?.counts).toMatchObject({ unknown: 4, total: 4 });
    expect(counts.zones.find((z) => z.zoneId === north)?.counts).toMatchObject({ unknown: 2, total: 2 });

    const spaces = await send<{ items: SpaceView[] }>(OCCUPANCY_RPC.listSpaces, { principal, siteId: site.id, limit: 50 });
    const byCode = new Map(spaces.items.map((s) => [s.code, s]));
    expect(byCode.get('A-1')).toMatchObject({ name: 'Bay 1', zoneId: north, type: 'ev', tags: ['covered', 'charger'], category: 'off_street', sensorDevEui: s1, state: { state: 'unknown' } });
    expect(byCode.get('A-1')?.location).toEqual({ latitude: 53.54, longitude: 9.98 });
    expect(byCode.get('B-2')).toMatchObject({ zoneId: level, sensorDevEui: s3 });
    expect(byCode.get('C-1')).toMatchObject({ zoneId: null, category: 'on_street', sensorDevEui: null });

    // Announced as the single creates announce: each zone's and the site's new counts, once each.
    await expectEventually(async () => {
      const announced = h.events(OccupancyEvents.ZoneAvailabilityChangedV1.type).filter((e) => e.tenantid === tenantId);
      expect(announced.map((e) => (e.data as { zoneId: string | null }).zoneId).sort()).toEqual([level, north, null].sort());
      expect(announced.find((e) => (e.data as { zoneId: string | null }).zoneId === null)?.data).toMatchObject({ siteId: site.id, counts: { unknown: 5, total: 5 } });
    });
  });

  it('adds to existing sites and zones named by name or id from JSON, assigning sensors to new and existing spaces', async () => {
    const [s1, s2] = [newEui(), newEui()];
    const { tenantId, principal } = await tenantWith([s1, s2]);
    const site = await send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Old Town', category: 'on_street' });
    const zone = await send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Market Street' });
    const existing = await send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, zoneId: zone.id, code: 'M-1' });
    const result = await importJson(principal, {
      zones: [{ site: site.id, name: 'Side Street', parent: 'Market Street' }],
      spaces: [
        { site: 'Old Town', code: 'M-2', zone: 'Market Street', type: 'loading', devEui: labelled(s1) },
        { site: site.id.toUpperCase(), code: 'S-1', zone: 'Side Street', location: { latitude: 48.1, longitude: 11.5 }, tags: ['short-stay'], priceZone: 'A' },
      ],
      assignments: [{ site: 'Old Town', code: 'M-1', devEui: s2 }],
    });
    expect(result).toMatchObject({ created: { sites: 0, zones: 1, spaces: 2, assignments: 2 }, sites: [] });
    const counts = await availability(principal, site.id);
    expect(counts.counts).toMatchObject({ unknown: 3, total: 3 });
    expect(counts.zones.find((z) => z.zoneId === zone.id)?.counts).toMatchObject({ unknown: 3, total: 3 });
    expect(await send<SpaceView>(OCCUPANCY_RPC.getSpace, { principal, spaceId: existing.id })).toMatchObject({ sensorDevEui: s2 });
    expect(await inventoryOf(tenantId)).toMatchObject({ sites: 1, zones: 2, spaces: 3, assignments: 2, counted: 3 });
  });

  it('rejects a CSV with bad rows with 422 naming each row by line and its field, and writes nothing', async () => {
    const [free, taken, display] = [newEui(), newEui(), newEui()];
    const { tenantId, principal } = await tenantWith([free, taken], [display]);
    const site = await send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Depot', category: 'off_street' });
    const holder = await send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, code: 'D-1' });
    await send(OCCUPANCY_RPC.assignSensor, { principal, spaceId: holder.id, devEui: taken });
    const before = await inventoryOf(tenantId);
    const csv = [
      'kind,site,name,code,zone,parent,category,type,devEui', // 1
      'site,,New Park,,,,off_street,,', // 2 fine
      'site,,New Park,,,,off_street,,', // 3 name twice
      'site,,Depot,,,,off_street,,', // 4 name of an existing site
      'site,,Bad Category,,,,garage,,', // 5 category
      'zone,New Park,Ring A,,,Ring B,,,', // 6 cycle with 7
      'zone,New Park,Ring B,,,Ring A,,,', // 7
      'zone,Nowhere,Lost,,,,,,', // 8 unknown site
      'zone,New Park,Orphan,,,Missing,,,', // 9 unknown parent
      'space,New Park,,P-1,,,,,', // 10 fine
      'space,New Park,,P-1,,,,,', // 11 code twice
      'space,Depot,,D-1,,,,,', // 12 code exists
      'space,New Park,,P-2,Nowhere,,,,', // 13 unknown zone
      'space,New Park,,P-3,,,,spaceship,', // 14 type
      `assignment,New Park,,P-1,,,,,${newEui()}`, // 15 unregistered device
      `assignment,Depot,,D-1,,,,,${free}`, // 16 the space has a sensor already
      `space,New Park,,P-4,,,,,${taken}`, // 17 sensor under another space
      `space,New Park,,P-5,,,,,${display}`, // 18 a display
      `space,New Park,,P-6,,,,,${free}`, // 19 fine
      `space,New Park,,P-7,,,,,${free}`, // 20 device twice
      'assignment,New Park,,P-99,,,,,0011223344556677', // 21 unknown space (and device)
      'space,New Park,,P-8,,Ring A,,,', // 22 parent on a space row
      'garage,New Park,,,,,,,', // 23 kind
      'space,New Park,,P-9,,,,', // 24 too few fields
    ].join('\r\n');
    const error = await failure(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'csv', text: csv });
    expect(error.code).toBe('IMPORT_REJECTED');
    const rows = (error.extras?.rows ?? []) as Array<{ line: number; field: string; message: string }>;
    const found = rows.map((r) => `${r.line}:${r.field}`);
    expect(found).toEqual([
      '3:name',
      '4:name',
      '5:category',
      '6:parent',
      '8:site',
      '9:parent',
      '11:code',
      '12:code',
      '13:zone',
      '14:type',
      '15:devEui',
      '16:code',
      '17:devEui',
      '18:devEui',
      '20:devEui',
      '21:code',
      '22:parent',
      '23:kind',
      '24:csv',
    ]);
    const message = (line: number) => rows.find((r) => r.line === line)?.message;
    expect(message(3)).toContain('first at line 2');
    expect(message(4)).toContain(site.id);
    expect(message(6)).toMatch(/cycle: "Ring A" → "Ring B" → "Ring A"/);
    expect(message(16)).toContain(`has the sensor ${taken}`);
    expect(message(17)).toContain('"D-1"');
    expect(message(20)).toContain('first at line 19');
    expect(error.detail).toMatch(/^19 of 23 rows cannot be imported, so none was/);
    expect(error.errors?.[0]).toEqual({ field: 'line 3.name', message: message(3) });
    expect(await inventoryOf(tenantId)).toEqual(before);
  });

  it('rejects JSON rows by list and index, and a file that cannot be read, writing nothing', async () => {
    const { tenantId, principal } = await tenantWith([]);
    const before = await inventoryOf(tenantId);
    const bad = await failure(OCCUPANCY_IMPORT_RPC.importInventory, {
      principal,
      format: 'json',
      sites: [{ name: 'Lot', category: 'off_street', colour: 'red' }],
      // spaces[3] is fine but for its site, whose row is bad: that row's problem is the one listed.
      spaces: [{ site: 'Lot', code: '' }, 'P-1', { site: 'Lot', code: 'P-2', location: { latitude: 91, longitude: 0 } }, { site: 'Lot', code: 'P-3' }],
    });
    expect(bad.code).toBe('IMPORT_REJECTED');
    expect(bad.extras?.rows).toEqual([
      { list: 'sites', index: 0, field: 'colour', message: expect.stringContaining('not a field of sites rows') },
      { list: 'spaces', index: 0, field: 'code', message: expect.any(String) },
      { list: 'spaces', index: 1, field: 'space', message: 'must be an object' },
      { list: 'spaces', index: 2, field: 'location.latitude', message: expect.any(String) },
    ]);
    expect(bad.errors?.map((e) => e.field)).toEqual(['sites[0].colour', 'spaces[0].code', 'spaces[1].space', 'spaces[2].location.latitude']);

    const header = await failure(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'csv', text: 'site,name,colour\nx,y,z\n' });
    expect(header.extras?.rows).toEqual([
      { line: 1, field: 'colour', message: expect.stringContaining('is not a column') },
      { line: 1, field: 'kind', message: expect.stringContaining('missing from the header') },
    ]);
    const quote = await failure(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'csv', text: 'kind,name\nsite,"open' });
    expect(quote).toMatchObject({ code: 'IMPORT_REJECTED', extras: { rows: [{ line: 2, field: 'csv', message: 'a quoted field is not closed' }] } });
    expect(await failure(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'json' })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await failure(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'json', spaces: 'P-1' })).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'spaces' }] });
    expect(await failure(OCCUPANCY_IMPORT_RPC.importInventory, { principal: { ...principal, permissions: ['sites:write'] }, format: 'csv', text: 'kind\n' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await inventoryOf(tenantId)).toEqual(before);
  });

  it("holds the import as a whole to the plan's site and space limits, with 403 LIMIT_EXCEEDED and nothing written", async () => {
    const tenantId = randomUUID();
    const principal = principalFor(tenantId);
    await h.publish(IdentityEvents.TenantLimitsChangedV1, tenantId, tenantId, limitsChanged(tenantId, { sites: 2, spaces: 3 }, 1));
    await expectEventually(async () => expect(await h.sql('SELECT sites, spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [tenantId])).toEqual([{ sites: 2, spaces: 3 }]));
    const site = await send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'First', category: 'off_street' });
    await send(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, code: 'F-1' });
    const before = await inventoryOf(tenantId);

    const sites = await failure(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'csv', text: 'kind,name,category\nsite,Second,off_street\nsite,Third,off_street\n' });
    expect(sites).toMatchObject({ code: 'LIMIT_EXCEEDED', extras: { limit: 'sites', max: 2, used: 1 }, errors: [{ field: 'limits.sites', message: 'at most 2' }] });
    expect(sites.detail).toContain('2 more would exceed it');
    const spaces = await failure(OCCUPANCY_IMPORT_RPC.importInventory, {
      principal,
      format: 'json',
      spaces: ['F-2', 'F-3', 'F-4'].map((code) => ({ site: 'First', code })),
    });
    expect(spaces).toMatchObject({ code: 'LIMIT_EXCEEDED', extras: { limit: 'spaces', max: 3, used: 1 }, errors: [{ field: 'limits.spaces', message: 'at most 3' }] });
    expect(await inventoryOf(tenantId)).toEqual(before);

    // Up to the limit exactly is fine; one single create after it is refused the same way.
    expect((await importJson(principal, { spaces: [{ site: 'First', code: 'F-2' }, { site: 'First', code: 'F-3' }] })).created.spaces).toBe(2);
    const single = await failure(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, code: 'F-4' });
    expect(single).toMatchObject({ code: 'LIMIT_EXCEEDED', extras: { limit: 'spaces', max: 3, used: 3 }, errors: [{ field: 'limits.spaces', message: 'at most 3' }] });
    expect((await availability(principal, site.id)).counts.total).toBe(3);
  });

  it('imports 10,000 spaces, each with its sensor, in one CSV within a few seconds', async () => {
    const { tenantId, principal } = await tenantWith([]);
    const euis = Array.from({ length: 10_000 }, (_, i) => `f0${i.toString(16).padStart(14, '0')}`);
    // The sensors read model filled directly: 10,000 device events would test the consumer, not the import.
    await h.sql(
      `INSERT INTO occupancy.sensors (device_id, tenant_id, dev_eui, kind, name, heartbeat_seconds, version)
       SELECT gen_random_uuid(), $1, eui, 'sensor', eui, 600, 1 FROM unnest($2::text[]) AS eui`,
      [tenantId, euis],
    );
    const lines = ['kind,site,name,code,zone,parent,category,devEui', 'site,,Arena,,,,off_street,'];
    for (let level = 1; level <= 10; level++) lines.push(`level,Arena,Level ${level},,,,,`);
    euis.forEach((eui, i) => lines.push(`space,Arena,,L${Math.floor(i / 1000) + 1}-${i % 1000},Level ${Math.floor(i / 1000) + 1},,,${eui}`));
    const csv = `${lines.join('\n')}\n`;
    expect(csv.length).toBeLessThan(900 * 1024);

    const started = Date.now();
    const result = await importCsv(principal, csv);
    const took = Date.now() - started;
    expect(result.created).toEqual({ sites: 1, zones: 10, spaces: 10_000, assignments: 10_000 });
    // About 2.5 s on an idle 2-core machine; the bound leaves room for a busy one.
    expect(took).toBeLessThan(12_000);
    const counts = await availability(principal, result.sites[0].id);
    expect(counts.counts).toMatchObject({ unknown: 10_000, total: 10_000 });
    expect(counts.zones.map((z) => z.counts.total)).toEqual(Array(10).fill(1_000));
    expect(await inventoryOf(tenantId)).toMatchObject({ spaces: 10_000, assignments: 10_000, counted: 10_000 });
  });
});
