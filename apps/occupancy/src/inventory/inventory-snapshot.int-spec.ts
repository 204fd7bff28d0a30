import {
  InventorySnapshotResponse,
  OCCUPANCY_INVENTORY_RPC,
  OCCUPANCY_RPC,
  OccupancyEvents,
  SiteView,
  SpaceView,
  ZoneView,
  type InventorySnapshotRequest,
} from '@parking/contracts';
import { createRpcClient, RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { claimNamespace, OccupancyHarness, principalFor, startOccupancy } from '../../test/occupancy-harness';

const namespace = claimNamespace();
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const reservationsKeys = generateProofKeyPair();
const downlinkKeys = generateProofKeyPair();

type Row = { kind: 'site' | 'zone' | 'space'; siteId: string; id: string };

/** Every row of the pages in the order they came, keyed as the snapshot orders them. */
function rowsOf(pages: InventorySnapshotResponse[]): Row[] {
  return pages.flatMap((page) => [
    ...page.sites.map((s): Row => ({ kind: 'site', siteId: s.siteId, id: s.siteId })),
    ...page.zones.map((z): Row => ({ kind: 'zone', siteId: z.siteId, id: z.zoneId })),
    ...page.spaces.map((s): Row => ({ kind: 'space', siteId: s.siteId, id: s.spaceId })),
  ].sort(inSnapshotOrder));
}
const KIND_ORDER = { site: 0, zone: 1, space: 2 };
/** Lower-case uuids compare as PostgreSQL compares uuids: byte by byte. */
const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
function inSnapshotOrder(a: Row, b: Row): number {
  return compare(a.siteId, b.siteId) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compare(a.id, b.id);
}

describe('occupancy: the inventory snapshot for other services (real PostgreSQL and NATS)', () => {
  let h: OccupancyHarness;
  let reservations: RpcClient;
  let downlink: RpcClient;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const a = principalFor(tenantA);
  const b = principalFor(tenantB);
  let bays: SpaceView[] = [];
  let siteA: SiteView;

  const snapshot = (request: InventorySnapshotRequest = {}) => reservations.call(OCCUPANCY_INVENTORY_RPC.snapshot, request);
  const refusal = (promise: Promise<unknown>) => promise.then((reply) => new Error(`expected a refusal, got ${JSON.stringify(reply)}`), (error: unknown) => error as DomainError);
  async function allPages(limit: number): Promise<InventorySnapshotResponse[]> {
    const pages = [await snapshot({ limit })];
    while (pages.at(-1)?.nextCursor) pages.push(await snapshot({ limit, cursor: pages.at(-1)?.nextCursor as string }));
    return pages;
  }

  beforeAll(async () => {
    h = await startOccupancy({
      namespace,
      rpc: true,
      trustedKeys: [trustedKeyEntry('reservations', reservationsKeys.publicKey), trustedKeyEntry('downlink', downlinkKeys.publicKey)],
    });
    const client = (issuer: string, signingKey: string) => createRpcClient({ natsUrl: NATS_URL, name: `inventory-spec-${issuer}`, namespace, timeoutMs: 15_000, proof: { issuer, signingKey } });
    reservations = client('reservations', reservationsKeys.privateKey);
    downlink = client('downlink', downlinkKeys.privateKey);
    // Tenant A keeps two sites: no plan limits, as identity announces for enterprise.
    await h.sql('INSERT INTO occupancy.tenant_limits (tenant_id, sites, spaces, version) VALUES ($1, NULL, NULL, 1)', [tenantA]);

    siteA = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal: a, name: 'Harbour', category: 'off_street', timeZone: 'Europe/Amsterdam', openingHours: { sun: ['10:00-18:00'] } });
    const level = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal: a, siteId: siteA.id, name: 'Level 0', kind: 'level' });
    const west = await h.send<ZoneView>(OCCUPANCY_RPC.createZone, { principal: a, siteId: siteA.id, name: 'West', parentZoneId: level.id });
    for (const [code, zoneId] of [['H-1', west.id], ['H-2', west.id], ['H-3', level.id], ['H-4', null]] as const) {
      bays.push(await h.send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal: a, siteId: siteA.id, zoneId, code, type: 'standard', priceZone: 'B' }));
    }
    await h.send(OCCUPANCY_RPC.updateSpace, { principal: a, spaceId: bays[0].id, name: 'Corner bay' });
    await h.send(OCCUPANCY_RPC.setMaintenance, { principal: a, spaceId: bays[1].id, reason: 'resurfacing' });
    await h.send(OCCUPANCY_RPC.createSite, { principal: a, name: 'Empty lot', category: 'on_street' });
    const siteB = await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal: b, name: 'Station', category: 'on_street' });
    await h.send(OCCUPANCY_RPC.updateSite, { principal: b, siteId: siteB.id, name: 'Central station' });
    bays.push(await h.send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal: b, siteId: siteB.id, code: 'S-1', type: 'motorcycle' }));
    // The views as they are now (versions, states), as the snapshot must show them.
    bays = await Promise.all(bays.map((bay, i) => h.send<SpaceView>(OCCUPANCY_RPC.getSpace, { principal: i < 4 ? a : b, spaceId: bay.id })));
  });
  afterAll(async () => {
    await reservations?.close();
    await downlink?.close();
    await h?.stop();
  });

  it("answers every tenant's sites, zones and spaces with their versions and live states on one page", async () => {
    const page = await snapshot();
    expect(page.nextCursor).toBeNull();
    expect(page.streamSequence).toEqual(expect.any(Number));
    expect(Date.parse(page.takenAt)).not.toBeNaN();
    expect(page.sites.map((s) => s.tenantId).sort()).toEqual([tenantA, tenantA, tenantB].sort());
    expect(page.sites.find((s) => s.siteId === siteA.id)).toEqual({
      tenantId: tenantA,
      siteId: siteA.id,
      name: 'Harbour',
      timeZone: 'Europe/Amsterdam',
      openingHours: { sun: ['10:00-18:00'] },
      version: 1,
    });
    expect(page.sites.find((s) => s.tenantId === tenantB)).toMatchObject({ name: 'Central station', timeZone: 'UTC', openingHours: null, version: 2 });
    const level = page.zones.find((z) => z.name === 'Level 0');
    expect(page.zones.find((z) => z.name === 'West')).toMatchObject({ tenantId: tenantA, siteId: siteA.id, parentZoneId: level?.zoneId, path: [level?.zoneId, expect.any(String)], kind: 'zone', version: 1 });
    expect(page.spaces.map(({ spaceId, code, name, zoneId, type, priceZone, version, state, stateVersion }) => ({ spaceId, code, name, zoneId, type, priceZone, version, state, stateVersion }))).toEqual(
      expect.arrayContaining(
        bays.map((bay) => ({
          spaceId: bay.id,
          code: bay.code,
          name: bay.name,
          zoneId: bay.zoneId,
          type: bay.type,
          priceZone: bay.priceZone,
          version: bay.version,
          state: bay.state.state,
          stateVersion: bay.state.version,
        })),
      ),
    );
    expect(page.spaces).toHaveLength(bays.length);
    expect(page.spaces.find((s) => s.spaceId === bays[1].id)).toMatchObject({ state: 'maintenance', stateVersion: 2 });
    expect(page.spaces.find((s) => s.spaceId === bays[0].id)).toMatchObject({ name: 'Corner bay', version: 2 });
  });

  it('carries each row as its latest upserted event carries it, so a reader keeps whichever version is newer', async () => {
    const page = await snapshot();
    await expectEventually(() => {
      const latest = new Map<string, unknown>();
      for (const type of [OccupancyEvents.SITE_UPSERTED_V1, OccupancyEvents.ZONE_UPSERTED_V1, OccupancyEvents.SPACE_UPSERTED_V1]) {
        for (const event of h.events(type)) latest.set(event.subject, event.data);
      }
      expect(page.sites.map((s) => latest.get(s.siteId))).toEqual(page.sites);
      expect(page.zones.map((z) => latest.get(z.zoneId))).toEqual(page.zones);
      expect(page.spaces.map(({ state: _state, stateVersion: _stateVersion, ...space }) => space)).toEqual(page.spaces.map((s) => latest.get(s.spaceId)));
    });
  });

  it.each([1, 2, 3, 5])('pages %i rows at a time in one stable order, every row exactly once', async (limit) => {
    const whole = rowsOf([await snapshot()]);
    expect(whole).toHaveLength(3 + 2 + bays.length);
    const pages = await allPages(limit);
    expect(pages.length).toBe(Math.ceil(whole.length / limit));
    for (const page of pages) expect(page.sites.length + page.zones.length + page.spaces.length).toBeLessThanOrEqual(limit);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    // Site by site (by id), each site before its zones before its spaces: the pages concatenate to the whole.
    expect(rowsOf(pages)).toEqual(whole);
  });

  it('continues after a row removed between pages, and shows a row added behind the cursor on no later page', async () => {
    const first = await snapshot({ limit: 4 });
    const seen = new Set(rowsOf([first]).map((row) => row.id));
    const extra = await h.send<SpaceView>(OCCUPANCY_RPC.createSpace, { principal: b, siteId: bays[4].siteId, code: 'S-2' });
    const removedLater = rowsOf([await snapshot()]).find((row) => row.kind === 'space' && !seen.has(row.id) && row.id !== extra.id) as Row;
    const space = bays.find((bay) => bay.id === removedLater.id) as SpaceView;
    await h.send(OCCUPANCY_RPC.deleteSpace, { principal: space.siteId === siteA.id ? a : b, spaceId: space.id });
    try {
      let cursor = first.nextCursor;
      const rest: InventorySnapshotResponse[] = [];
      while (cursor) {
        rest.push(await snapshot({ limit: 4, cursor }));
        cursor = rest.at(-1)?.nextCursor ?? null;
      }
      const later = rowsOf(rest).map((row) => row.id);
      expect(later).not.toContain(removedLater.id);
      expect(later.filter((id) => seen.has(id))).toEqual([]);
      // Placed by its site's id: on a later page when its site comes after the cursor, else only in the events.
      const extraAhead = inSnapshotOrder({ kind: 'space', siteId: extra.siteId, id: extra.id }, rowsOf([first]).at(-1) as Row) > 0;
      expect(later.includes(extra.id)).toBe(extraAhead);
    } finally {
      await h.send(OCCUPANCY_RPC.deleteSpace, { principal: b, spaceId: extra.id });
    }
  });

  it('refuses a bad cursor or limit with VALIDATION_FAILED naming the field', async () => {
    expect(await refusal(snapshot({ cursor: 'not-a-cursor' }))).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'cursor', message: 'must be a nextCursor this snapshot gave out' }] });
    const forged = Buffer.from(JSON.stringify([randomUUID(), 7, randomUUID()])).toString('base64url');
    expect(await refusal(snapshot({ cursor: forged }))).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'cursor' }] });
    expect(await refusal(snapshot({ limit: 2_001 }))).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'limit' }] });
    expect(await refusal(snapshot({ limit: 0 }))).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'limit' }] });
  });

  it('answers no caller but reservations: not the gateway, with or without a principal, nor another service', async () => {
    const fromGateway = await h.failure(OCCUPANCY_INVENTORY_RPC.snapshot, {});
    expect(fromGateway).toMatchObject({ code: 'FORBIDDEN', detail: `${OCCUPANCY_INVENTORY_RPC.snapshot.subject} does not take requests from gateway.` });
    expect((await h.failure(OCCUPANCY_INVENTORY_RPC.snapshot, { principal: a })).code).toBe('FORBIDDEN');
    const fromDownlink = await refusal(downlink.call(OCCUPANCY_INVENTORY_RPC.snapshot, {}));
    expect(fromDownlink).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('does not take requests from downlink') });
    // A service proves itself only, never a tenant's user.
    expect(await refusal(reservations.call(OCCUPANCY_INVENTORY_RPC.snapshot, {}, { principal: a }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});
