import {
  IdentityEvents,
  IngestEvents,
  OCCUPANCY_RPC,
  OccupancyEvents,
  ReservationsEvents,
  SiteAvailabilityResponse,
  SiteView,
  SpaceView,
  ZoneView,
} from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { claimNamespace, deviceSnapshot, limitsChanged, OccupancyHarness, principalFor, startOccupancy, uplinkOf } from './occupancy-harness';

const namespace = claimNamespace();

describe('occupancy: sites, spaces, sensors and live state (real PostgreSQL and NATS)', () => {
  let h: OccupancyHarness;
  const tenantId = randomUUID();
  const principal = principalFor(tenantId);
  const sensorA = deviceSnapshot(tenantId, 'a0a0a0a0a0a0a0a1');
  const sensorB = deviceSnapshot(tenantId, 'b0b0b0b0b0b0b0b1');
  const loose = deviceSnapshot(tenantId, 'c0c0c0c0c0c0c0c1');
  const sign = deviceSnapshot(tenantId, 'c0c0c0c0c0c0c0c2', { kind: 'display', codec: 'kuando-busylight' });
  let site: SiteView;
  let level: ZoneView;
  let zone: ZoneView;
  let bay1: SpaceView;
  let bay2: SpaceView;
  let uplinksSent = 0;

  const availability = () => h.send<SiteAvailabilityResponse>(OCCUPANCY_RPC.siteAvailability, { principal, siteId: site.id });
  const space = (spaceId: string) => h.send<SpaceView>(OCCUPANCY_RPC.getSpace, { principal, spaceId });
  const transitions = (spaceId: string) =>
    h.sql<{ from_state: string; to_state: string; cause: string }>(
      'SELECT from_state, to_state, cause FROM occupancy.space_transitions WHERE space_id = $1 ORDER BY id',
      [spaceId],
    );
  /** Sends an uplink and waits until the consumer has committed it (its inbox row). */
  async function uplink(device: IngestEvents.DeviceSnapshotV1, frame: Parameters<typeof uplinkOf>[1]): Promise<void> {
    await h.publish(IngestEvents.UplinkReceivedV1, tenantId, device.deviceId, uplinkOf(device, frame));
    uplinksSent++;
    await expectEventually(async () => {
      const [{ n }] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.inbox WHERE consumer = 'occupancy-uplinks'`);
      expect(n).toBe(uplinksSent);
    });
  }
  const countsOf = (a: SiteAvailabilityResponse, zoneId?: string) => (zoneId ? a.zones.find((z) => z.zoneId === zoneId)?.counts : a.counts);

  beforeAll(async () => {
    h = await startOccupancy({ namespace, rpc: true });
    for (const device of [sensorA, sensorB, loose, sign]) await h.publish(IngestEvents.DeviceRegisteredV1, tenantId, device.deviceId, device);
    site = await h.send(OCCUPANCY_RPC.createSite, { principal, name: 'Market Square', category: 'off_street', timeZone: 'Europe/Berlin', location: { latitude: 52.52, longitude: 13.4 } });
    level = await h.send(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'Level 1', kind: 'level' });
    zone = await h.send(OCCUPANCY_RPC.createZone, { principal, siteId: site.id, name: 'North', parentZoneId: level.id });
    bay1 = await h.send(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, zoneId: zone.id, code: 'L1-001', type: 'ev', tags: ['covered'] });
    bay2 = await h.send(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, zoneId: level.id, code: 'L1-002' });
    await expectEventually(async () => expect(await h.sql('SELECT 1 FROM occupancy.sensors')).toHaveLength(4));
  });
  afterAll(() => h?.stop());

  it('counts new spaces as unknown in their zone, its parent and the site', async () => {
    const counts = await availability();
    expect(countsOf(counts)).toEqual({ free: 0, occupied: 0, reserved: 0, maintenance: 0, unknown: 2, total: 2 });
    expect(countsOf(counts, level.id)).toMatchObject({ unknown: 2, total: 2 });
    expect(countsOf(counts, zone.id)).toMatchObject({ unknown: 1, total: 1 });
    expect(bay1).toMatchObject({ code: 'L1-001', category: 'off_street', type: 'ev', tags: ['covered'], state: { state: 'unknown' } });
  });

  it('assigns a sensor to one space only, and a space one sensor only (409 otherwise)', async () => {
    const assigned = await h.send<SpaceView>(OCCUPANCY_RPC.assignSensor, { principal, spaceId: bay1.id, devEui: 'A0-A0-A0-A0-A0-A0-A0-A1' });
    expect(assigned.sensorDevEui).toBe(sensorA.devEui);
    const elsewhere = await h.failure(OCCUPANCY_RPC.assignSensor, { principal, spaceId: bay2.id, devEui: sensorA.devEui });
    expect(elsewhere).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('L1-001') });
    const second = await h.failure(OCCUPANCY_RPC.assignSensor, { principal, spaceId: bay1.id, devEui: sensorB.devEui });
    expect(second).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('unassign it first') });
    const unknown = await h.failure(OCCUPANCY_RPC.assignSensor, { principal, spaceId: bay2.id, devEui: 'ffffffffffffffff' });
    expect(unknown.code).toBe('NOT_FOUND');
    await h.send(OCCUPANCY_RPC.assignSensor, { principal, spaceId: bay2.id, devEui: sensorB.devEui });
  });

  it('turns occupied then free on two readings: two transitions, counts, and both kinds of event', async () => {
    await uplink(sensorA, { fCnt: 10, occupied: true });
    await uplink(sensorA, { fCnt: 11, occupied: false });
    expect((await space(bay1.id)).state).toMatchObject({ state: 'free', sensorOccupied: false, reading: { devEui: sensorA.devEui, session: 1, fCnt: 11 } });
    expect(await transitions(bay1.id)).toEqual([
      { from_state: 'unknown', to_state: 'occupied', cause: 'sensor' },
      { from_state: 'occupied', to_state: 'free', cause: 'sensor' },
    ]);
    const counts = await availability();
    expect(countsOf(counts)).toMatchObject({ free: 1, unknown: 1, occupied: 0, total: 2 });
    expect(countsOf(counts, zone.id)).toMatchObject({ free: 1, unknown: 0, total: 1 });
    expect(countsOf(counts, level.id)).toMatchObject({ free: 1, unknown: 1, total: 2 });
    await expectEventually(() => {
      const changes = h.events(OccupancyEvents.SPACE_STATE_CHANGED_V1).filter((e) => e.subject === bay1.id);
      expect(changes.map((e) => e.data)).toEqual([
        expect.objectContaining({ spaceId: bay1.id, siteId: site.id, zoneId: zone.id, from: 'unknown', to: 'occupied', cause: 'sensor', version: 2, reading: expect.objectContaining({ fCnt: 10 }) }),
        expect.objectContaining({ from: 'occupied', to: 'free', version: 3, reading: expect.objectContaining({ fCnt: 11 }) }),
      ]);
      const siteCounts = h.events(OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1).filter((e) => e.subject === site.id);
      expect(siteCounts.at(-1)?.data).toMatchObject({ siteId: site.id, zoneId: null, counts: { free: 1, unknown: 1, total: 2 } });
      const zoneCounts = h.events(OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1).filter((e) => e.subject === zone.id);
      expect(zoneCounts.at(-1)?.data).toMatchObject({ zoneId: zone.id, counts: { free: 1, total: 1 } });
    });
  });

  it('changes nothing on a duplicate or a late reading', async () => {
    await uplink(sensorA, { fCnt: 11, occupied: true });
    await uplink(sensorA, { fCnt: 9, occupied: true });
    await uplink(sensorA, { session: 0, fCnt: 500, occupied: true });
    expect((await space(bay1.id)).state).toMatchObject({ state: 'free', version: 3, reading: { fCnt: 11 } });
    expect(await transitions(bay1.id)).toHaveLength(2);
  });

  it('takes a rejoin (next session, fCnt from 0) as newer', async () => {
    await uplink(sensorA, { session: 2, fCnt: 0, occupied: true });
    expect((await space(bay1.id)).state).toMatchObject({ state: 'occupied', reading: { session: 2, fCnt: 0 } });
  });

  it('only counts the uplinks of a registered device that lies under no space, and not those of a display', async () => {
    const before = await h.sql('SELECT space_id, state, version FROM occupancy.space_state ORDER BY space_id');
    await uplink(sign, { fCnt: 1, occupied: true });
    await uplink(loose, { fCnt: 1, occupied: true });
    await uplink(loose, { fCnt: 2, occupied: false });
    expect(await h.sql('SELECT dev_eui, uplinks::int FROM occupancy.unassigned_uplinks')).toEqual([{ dev_eui: loose.devEui, uplinks: 2 }]);
    expect(await h.sql('SELECT space_id, state, version FROM occupancy.space_state ORDER BY space_id')).toEqual(before);
  });

  it('makes a silent sensor unknown (cause timeout), once across two sweeps, and the next reading restores it', async () => {
    const receivedAt = new Date(Date.now() - 60_000).toISOString();
    await uplink(sensorB, { fCnt: 1, occupied: false, receivedAt });
    await h.send(OCCUPANCY_RPC.updateSite, { principal, siteId: site.id, heartbeatTimeoutSeconds: 30 });
    const { SilenceTimer } = await import('../src/timer/silence-timer');
    const timer = h.apps[0].get(SilenceTimer);
    // Two sweeps at once, as two replicas would run them: the space becomes silent once.
    const [first, second] = await Promise.all([timer.sweep(), timer.sweep()]);
    expect(first + second).toBe(1);
    expect((await space(bay2.id)).state).toMatchObject({ state: 'unknown', sensorSilent: true, sensorOccupied: false });
    expect((await transitions(bay2.id)).at(-1)).toEqual({ from_state: 'free', to_state: 'unknown', cause: 'timeout' });
    // bay1 was heard just now: not silent.
    expect((await space(bay1.id)).state.state).toBe('occupied');
    await uplink(sensorB, { fCnt: 2, occupied: false });
    expect((await space(bay2.id)).state).toMatchObject({ state: 'free', sensorSilent: false });
    expect((await transitions(bay2.id)).at(-1)).toEqual({ from_state: 'unknown', to_state: 'free', cause: 'sensor' });
    await h.send(OCCUPANCY_RPC.updateSite, { principal, siteId: site.id, heartbeatTimeoutSeconds: null });
  });

  it('keeps a maintenance override through sensor readings until it is cleared', async () => {
    const set = await h.send<SpaceView>(OCCUPANCY_RPC.setMaintenance, { principal, spaceId: bay1.id, reason: 'line marking' });
    expect(set.state).toMatchObject({ state: 'maintenance', maintenance: { reason: 'line marking' } });
    await uplink(sensorA, { session: 2, fCnt: 1, occupied: false });
    await uplink(sensorA, { session: 2, fCnt: 2, occupied: true });
    await uplink(sensorA, { session: 2, fCnt: 3, occupied: false });
    expect((await space(bay1.id)).state).toMatchObject({ state: 'maintenance', sensorOccupied: false, reading: { fCnt: 3 } });
    expect(countsOf(await availability())).toMatchObject({ maintenance: 1, free: 1, total: 2 });
    const cleared = await h.send<SpaceView>(OCCUPANCY_RPC.clearMaintenance, { principal, spaceId: bay1.id });
    expect(cleared.state).toMatchObject({ state: 'free', maintenance: null });
    expect((await transitions(bay1.id)).slice(-2)).toEqual([
      { from_state: 'occupied', to_state: 'maintenance', cause: 'override' },
      { from_state: 'maintenance', to_state: 'free', cause: 'override' },
    ]);
  });

  it('shows a free space reserved while a reservation is active, whatever order start and end arrive in', async () => {
    const reservation = { tenantId, reservationId: randomUUID(), spaceId: bay1.id, siteId: site.id };
    const started = { ...reservation, from: new Date().toISOString(), to: new Date(Date.now() + 3_600_000).toISOString(), startedAt: new Date().toISOString() };
    await h.publish(ReservationsEvents.ReservationStartedV1, tenantId, reservation.reservationId, started);
    await expectEventually(async () => expect((await space(bay1.id)).state).toMatchObject({ state: 'reserved', reservationActive: true }));
    await h.publish(ReservationsEvents.ReservationEndedV1, tenantId, reservation.reservationId, { ...reservation, reason: 'cancelled', endedAt: new Date().toISOString() });
    await expectEventually(async () => expect((await space(bay1.id)).state).toMatchObject({ state: 'free', reservationActive: false }));

    const late = { ...reservation, reservationId: randomUUID() };
    await h.publish(ReservationsEvents.ReservationEndedV1, tenantId, late.reservationId, { ...late, reason: 'expired', endedAt: new Date().toISOString() });
    await h.publish(ReservationsEvents.ReservationStartedV1, tenantId, late.reservationId, { ...started, reservationId: late.reservationId });
    await expectEventually(async () => {
      const [{ n }] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM occupancy.inbox WHERE consumer IN ('occupancy-reservation-starts', 'occupancy-reservation-ends')`);
      expect(n).toBe(4);
    });
    expect((await space(bay1.id)).state).toMatchObject({ state: 'free', reservationActive: false });
    expect((await transitions(bay1.id)).slice(-2).map((t) => t.cause)).toEqual(['reservation', 'reservation']);
  });

  it('moves a space between zones with its count, and lists spaces by zone, state, type and tag', async () => {
    await h.send(OCCUPANCY_RPC.updateSpace, { principal, spaceId: bay2.id, zoneId: zone.id });
    const counts = await availability();
    expect(countsOf(counts, zone.id)).toMatchObject({ free: 2, total: 2 });
    expect(countsOf(counts, level.id)).toMatchObject({ free: 2, total: 2 });
    expect(countsOf(counts)).toMatchObject({ free: 2, total: 2 });
    const list = (query: object) => h.send<{ items: SpaceView[]; nextCursor: string | null }>(OCCUPANCY_RPC.listSpaces, { principal, ...query });
    expect((await list({ zoneId: level.id })).items.map((s) => s.code)).toEqual(['L1-001', 'L1-002']);
    expect((await list({ type: 'ev' })).items.map((s) => s.code)).toEqual(['L1-001']);
    expect((await list({ tag: 'covered', state: 'free' })).items.map((s) => s.code)).toEqual(['L1-001']);
    const first = await list({ siteId: site.id, limit: 1 });
    const second = await list({ siteId: site.id, limit: 1, cursor: first.nextCursor });
    expect([first.items[0].code, second.items[0].code, second.nextCursor]).toEqual(['L1-001', 'L1-002', null]);
  });

  it('refuses to delete a site with spaces (409 saying why) or a zone with spaces', async () => {
    const siteConflict = await h.failure(OCCUPANCY_RPC.deleteSite, { principal, siteId: site.id });
    expect(siteConflict).toMatchObject({ code: 'CONFLICT', detail: 'The site still has 2 spaces; delete them first, then the site.' });
    expect((await h.failure(OCCUPANCY_RPC.deleteZone, { principal, zoneId: zone.id })).code).toBe('CONFLICT');
    expect((await h.failure(OCCUPANCY_RPC.createSpace, { principal, siteId: site.id, code: 'L1-001' })).code).toBe('CONFLICT');
  });

  it('forgets the readings of an unassigned sensor, and drops a removed device from its space', async () => {
    const unassigned = await h.send<SpaceView>(OCCUPANCY_RPC.unassignSensor, { principal, spaceId: bay1.id });
    expect(unassigned).toMatchObject({ sensorDevEui: null, state: { state: 'unknown', reading: null } });
    await h.publish(IngestEvents.DeviceRemovedV1, tenantId, sensorB.deviceId, sensorB);
    await expectEventually(async () => expect(await space(bay2.id)).toMatchObject({ sensorDevEui: null, state: { state: 'unknown' } }));
    expect(countsOf(await availability())).toMatchObject({ unknown: 2, free: 0, total: 2 });
  });

  it('keeps tenants apart: another tenant sees none of it', async () => {
    const other = principalFor(randomUUID());
    expect((await h.failure(OCCUPANCY_RPC.getSpace, { principal: other, spaceId: bay1.id })).code).toBe('NOT_FOUND');
    expect((await h.failure(OCCUPANCY_RPC.siteAvailability, { principal: other, siteId: site.id })).code).toBe('NOT_FOUND');
    expect((await h.failure(OCCUPANCY_RPC.setMaintenance, { principal: other, spaceId: bay1.id })).code).toBe('NOT_FOUND');
    expect((await h.send<{ items: unknown[] }>(OCCUPANCY_RPC.listSites, { principal: other })).items).toEqual([]);
  });

  it('validates input field by field and checks the permission', async () => {
    const bad = await h.failure(OCCUPANCY_RPC.createSite, { principal, name: '', category: 'underground', timeZone: 'Mars/Olympus', location: { latitude: 91, longitude: 0 } });
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.errors?.map((e) => e.field).sort()).toEqual(['category', 'location.latitude', 'name', 'timeZone']);
    const viewer = { ...principal, permissions: ['sites:read' as const] };
    expect(await h.failure(OCCUPANCY_RPC.createSite, { principal: viewer, name: 'x', category: 'on_street' })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("enforces the plan's site limit from identity's limits events", async () => {
    await h.publish(IdentityEvents.TenantLimitsChangedV1, tenantId, tenantId, limitsChanged(tenantId, { sites: 1 }, 5));
    await expectEventually(async () => expect(await h.sql('SELECT sites FROM occupancy.tenant_limits')).toEqual([{ sites: 1 }]));
    const refused = await h.failure(OCCUPANCY_RPC.createSite, { principal, name: 'Second', category: 'on_street' });
    expect(refused).toMatchObject({ code: 'LIMIT_EXCEEDED', errors: [{ field: 'limits.sites', message: 'at most 1' }] });
    await h.publish(IdentityEvents.TenantLimitsChangedV1, tenantId, tenantId, limitsChanged(tenantId, { sites: 5 }, 4));
    await h.publish(IdentityEvents.TenantLimitsChangedV1, tenantId, tenantId, limitsChanged(tenantId, { sites: 2 }, 6));
    await expectEventually(async () => expect(await h.sql('SELECT sites, version FROM occupancy.tenant_limits')).toEqual([{ sites: 2, version: 6 }]));
    expect((await h.send<SiteView>(OCCUPANCY_RPC.createSite, { principal, name: 'Second', category: 'on_street' })).name).toBe('Second');
  });

  it('deletes an empty site with its zones', async () => {
    for (const s of [bay1, bay2]) await h.send(OCCUPANCY_RPC.deleteSpace, { principal, spaceId: s.id });
    expect(countsOf(await availability())).toMatchObject({ total: 0 });
    await h.send(OCCUPANCY_RPC.deleteSite, { principal, siteId: site.id });
    expect((await h.failure(OCCUPANCY_RPC.getZone, { principal, zoneId: zone.id })).code).toBe('NOT_FOUND');
  });
});
