import { EventEnvelope, ImportInventoryResponse, OCCUPANCY_IMPORT_RPC, OCCUPANCY_RPC, OccupancyEvents, SiteView, SpaceView, ZoneView } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { claimNamespace, OccupancyHarness, principalFor, startOccupancy } from '../../test/occupancy-harness';

const namespace = claimNamespace();

const INVENTORY_TYPES: string[] = [
  OccupancyEvents.SITE_UPSERTED_V1,
  OccupancyEvents.SITE_REMOVED_V1,
  OccupancyEvents.ZONE_UPSERTED_V1,
  OccupancyEvents.ZONE_REMOVED_V1,
  OccupancyEvents.SPACE_UPSERTED_V1,
  OccupancyEvents.SPACE_REMOVED_V1,
];

describe('occupancy: sites, zones and spaces announced through the outbox (real PostgreSQL and NATS)', () => {
  let h: OccupancyHarness;

  /** The tenant's inventory events published so far, in publication order. */
  const inventoryEvents = (tenantId: string): EventEnvelope[] => h.events().filter((e) => e.tenantid === tenantId && INVENTORY_TYPES.includes(e.type));
  /** Waits until `count` inventory events of the tenant are published, then answers them. */
  async function published(tenantId: string, count: number): Promise<EventEnvelope[]> {
    await expectEventually(() => expect(inventoryEvents(tenantId)).toHaveLength(count));
    return inventoryEvents(tenantId);
  }
  const outboxRows = async (tenantId: string) => (await h.sql<{ n: number }>('SELECT count(*)::int AS n FROM occupancy.outbox WHERE tenant_id = $1', [tenantId]))[0].n;

  beforeAll(async () => {
    h = await startOccupancy({ namespace, rpc: true });
  });
  afterAll(() => h?.stop());

  it('announces each create, change and delete of a site, zone and space with the version the row has after it', async () => {
    const tenantId = randomUUID();
    const principal = principalFor(tenantId);
    const openingHours = { mon: ['07:00-22:00'], sat: ['09:00-14:00'] };
    const site = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Dock 7', category: 'off_street', timeZone: 'Europe/Berlin', openingHours });
    const renamed = await h.send<SiteView>(OCCUPANCY_RPC.updateSite, { principal, siteId: site.id, name: 'Dock Seven' });
    // A field the event does not carry still moves the version, and the event with it.
    const timedOut = await h.send<SiteView>(OCCUPANCY_RPC.updateSite, { principal, siteId: site.id, heartbeatTimeoutSeconds: 900, openingHours: null });
    const level = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Level 1', kind: 'level' });
    const north = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'North', parentZoneId: level.id });
    const northRenamed = await h.send<ZoneView>(OCCUPANCY_RPC.updateZone, { principal, zoneId: north.id, name: 'North side' });
    const bay = await h.send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, zoneId: north.id, code: 'N-1', name: 'Bay 1', type: 'ev', priceZone: 'A' });
    const recoded = await h.send<SpaceView>(OCCUPANCY_RPC.updateSpace, { principal, spaceId: bay.id, code: 'N-01', priceZone: null });
    const moved = await h.send<SpaceView>(OCCUPANCY_RPC.updateSpace, { principal, spaceId: bay.id, zoneId: level.id });
    // A change of state is not a change of the space: it has its own event and version.
    await h.send(OCCUPANCY_RPC.setMaintenance, { principal, spaceId: bay.id, reason: 'repainting' });

    const events = await published(tenantId, 9);
    expect(events.map((e) => [e.type, e.subject])).toEqual([
      [OccupancyEvents.SITE_UPSERTED_V1, site.id],
      [OccupancyEvents.SITE_UPSERTED_V1, site.id],
      [OccupancyEvents.SITE_UPSERTED_V1, site.id],
      [OccupancyEvents.ZONE_UPSERTED_V1, level.id],
      [OccupancyEvents.ZONE_UPSERTED_V1, north.id],
      [OccupancyEvents.ZONE_UPSERTED_V1, north.id],
      [OccupancyEvents.SPACE_UPSERTED_V1, bay.id],
      [OccupancyEvents.SPACE_UPSERTED_V1, bay.id],
      [OccupancyEvents.SPACE_UPSERTED_V1, bay.id],
    ]);
    expect(events.map((e) => e.data)).toEqual([
      { tenantId, siteId: site.id, name: 'Dock 7', timeZone: 'Europe/Berlin', openingHours, version: 1 },
      { tenantId, siteId: site.id, name: 'Dock Seven', timeZone: 'Europe/Berlin', openingHours, version: 2 },
      { tenantId, siteId: site.id, name: 'Dock Seven', timeZone: 'Europe/Berlin', openingHours: null, version: 3 },
      { tenantId, zoneId: level.id, siteId: site.id, parentZoneId: null, path: [level.id], name: 'Level 1', kind: 'level', version: 1 },
      { tenantId, zoneId: north.id, siteId: site.id, parentZoneId: level.id, path: [level.id, north.id], name: 'North', kind: 'zone', version: 1 },
      { tenantId, zoneId: north.id, siteId: site.id, parentZoneId: level.id, path: [level.id, north.id], name: 'North side', kind: 'zone', version: 2 },
      { tenantId, spaceId: bay.id, siteId: site.id, zoneId: north.id, code: 'N-1', name: 'Bay 1', type: 'ev', priceZone: 'A', version: 1 },
      { tenantId, spaceId: bay.id, siteId: site.id, zoneId: north.id, code: 'N-01', name: 'Bay 1', type: 'ev', priceZone: null, version: 2 },
      { tenantId, spaceId: bay.id, siteId: site.id, zoneId: level.id, code: 'N-01', name: 'Bay 1', type: 'ev', priceZone: null, version: 3 },
    ]);
    // The versions the events carry are those the reads answer.
    expect([site.version, renamed.version, timedOut.version, north.version, northRenamed.version]).toEqual([1, 2, 3, 1, 2]);
    expect([bay.version, recoded.version, moved.version]).toEqual([1, 2, 3]);
    await expectEventually(() => expect(h.events(OccupancyEvents.SPACE_STATE_CHANGED_V1).filter((e) => e.subject === bay.id)).toHaveLength(1));
    expect(inventoryEvents(tenantId)).toHaveLength(9);

    // A refused change announces nothing: the events share the change's transaction.
    const before = await outboxRows(tenantId);
    expect((await h.failure(OCCUPANCY_RPC.deleteSite, { principal, siteId: site.id })).code).toBe('CONFLICT');
    expect((await h.failure(OCCUPANCY_RPC.deleteZone, { principal, zoneId: level.id })).code).toBe('CONFLICT');
    expect((await h.failure(OCCUPANCY_RPC.updateSite, { principal, siteId: site.id, name: 'Stale', version: 1 })).code).toBe('CONFLICT');
    expect(await outboxRows(tenantId)).toBe(before);

    await h.send(OCCUPANCY_RPC.deleteSpace, { principal, spaceId: bay.id });
    await h.send(OCCUPANCY_RPC.deleteZone, { principal, zoneId: north.id });
    const removals = (await published(tenantId, 11)).slice(9);
    expect(removals.map((e) => [e.type, e.subject])).toEqual([
      [OccupancyEvents.SPACE_REMOVED_V1, bay.id],
      [OccupancyEvents.ZONE_REMOVED_V1, north.id],
    ]);
    expect(removals.map((e) => e.data)).toEqual([
      { tenantId, spaceId: bay.id, siteId: site.id, removedAt: expect.any(String) },
      { tenantId, zoneId: north.id, siteId: site.id, removedAt: expect.any(String) },
    ]);
  });

  it('announces the zones a site takes with it, nested ones first, then the site, in one transaction', async () => {
    const tenantId = randomUUID();
    const principal = principalFor(tenantId);
    const site = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Cascade', category: 'on_street' });
    const top = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Top', kind: 'level' });
    const middle = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Middle', parentZoneId: top.id });
    const inner = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Inner', parentZoneId: middle.id });
    const beside = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Beside' });
    await published(tenantId, 5);

    await h.send(OCCUPANCY_RPC.deleteSite, { principal, siteId: site.id });
    const removals = (await published(tenantId, 10)).slice(5);
    expect(removals.map((e) => [e.type, e.subject])).toEqual([
      [OccupancyEvents.ZONE_REMOVED_V1, inner.id],
      [OccupancyEvents.ZONE_REMOVED_V1, middle.id],
      ...[top.id, beside.id].sort().map((id) => [OccupancyEvents.ZONE_REMOVED_V1, id]),
      [OccupancyEvents.SITE_REMOVED_V1, site.id],
    ]);
    expect(removals.at(-1)?.data).toEqual({ tenantId, siteId: site.id, removedAt: expect.any(String) });
    // One transaction: one moment for every removal.
    expect(new Set(removals.map((e) => (e.data as { removedAt: string }).removedAt)).size).toBe(1);
    expect(await h.sql('SELECT id FROM occupancy.zones WHERE site_id = $1', [site.id])).toEqual([]);
  });

  it('announces every site, zone and space an import creates, at version 1, with what was stored', async () => {
    const tenantId = randomUUID();
    const principal = principalFor(tenantId);
    await h.sql('INSERT INTO occupancy.tenant_limits (tenant_id, sites, spaces, version) VALUES ($1, NULL, NULL, 1)', [tenantId]);
    const csv = [
      'kind,site,name,code,zone,parent,category,type,timeZone,priceZone',
      'site,,Quay,,,,off_street,,,',
      'level,Quay,Deck,,,,,,,',
      'zone,Quay,East,,,Deck,,,,',
      'space,Quay,Bay E1,E-1,East,,,disabled,,P1',
      'space,Quay,,S-1,,,,,,',
    ].join('\n');
    const result = await h.send<ImportInventoryResponse>(OCCUPANCY_IMPORT_RPC.importInventory, { principal, format: 'csv', text: csv });
    const siteId = result.sites[0].id;
    const deck = result.zones.find((z) => z.name === 'Deck')?.id as string;
    const east = result.zones.find((z) => z.name === 'East')?.id as string;
    const [e1, s1] = await Promise.all(
      ['E-1', 'S-1'].map(async (code) => (await h.sql<{ id: string }>('SELECT id::text FROM occupancy.spaces WHERE tenant_id = $1 AND code = $2', [tenantId, code]))[0].id),
    );

    const events = await published(tenantId, 5);
    const ofType = (type: string) => events.filter((e) => e.type === type).map((e) => e.data);
    // The site's time zone is the default the table stored.
    expect(ofType(OccupancyEvents.SITE_UPSERTED_V1)).toEqual([{ tenantId, siteId, name: 'Quay', timeZone: 'UTC', openingHours: null, version: 1 }]);
    expect(ofType(OccupancyEvents.ZONE_UPSERTED_V1)).toEqual(
      expect.arrayContaining([
        { tenantId, zoneId: deck, siteId, parentZoneId: null, path: [deck], name: 'Deck', kind: 'level', version: 1 },
        { tenantId, zoneId: east, siteId, parentZoneId: deck, path: [deck, east], name: 'East', kind: 'zone', version: 1 },
      ]),
    );
    expect(ofType(OccupancyEvents.SPACE_UPSERTED_V1)).toEqual(
      expect.arrayContaining([
        { tenantId, spaceId: e1, siteId, zoneId: east, code: 'E-1', name: 'Bay E1', type: 'disabled', priceZone: 'P1', version: 1 },
        { tenantId, spaceId: s1, siteId, zoneId: null, code: 'S-1', name: null, type: 'standard', priceZone: null, version: 1 },
      ]),
    );
    // Sites before zones before spaces, as a reader that checks references wants them.
    expect(events.map((e) => e.type)).toEqual([
      OccupancyEvents.SITE_UPSERTED_V1,
      OccupancyEvents.ZONE_UPSERTED_V1,
      OccupancyEvents.ZONE_UPSERTED_V1,
      OccupancyEvents.SPACE_UPSERTED_V1,
      OccupancyEvents.SPACE_UPSERTED_V1,
    ]);
  });
});
