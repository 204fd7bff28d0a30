// A booking's life from the sensor's readings and the clock, against a real PostgreSQL:
// check-in inside the window, completion when the car leaves, overstay charged at the
// site's rate, no-show, and cancellation inside and outside the free window; and the space
// events as the batch consumer takes them.
import { createEnvelope, OccupancyEvents, sourceFor, type EventDefinition, type EventEnvelope, type EventType } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { batchOf } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { bookingAccess } from '../src/bookings/booking-access';
import { findReservation } from '../src/bookings/reservation-rows';
import { SpaceEventsConsumer } from '../src/inventory/space-events.consumer';
import { SensorArrivals } from '../src/lifecycle/sensor-arrivals';
import { loadSiteTerms } from '../src/pricing/site-terms';
import { bookingFixture, type BookingFixture } from './booking-fixture';

const HOUR = 3_600_000;
const BASE = Math.ceil((Date.now() + 3 * 24 * HOUR) / HOUR) * HOUR;
const at = (hours: number) => new Date(BASE + hours * HOUR);

// 2.00 an hour all week in 15-minute increments, no fee: one hour costs 200.
const TARIFF = {
  name: 'Flat',
  currency: 'EUR',
  effectiveFrom: '2020-01-01',
  priceZone: null,
  bands: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '00:00-24:00', incrementMinutes: 15, tiers: [{ ratePerHour: 200 }] }],
};

describe('booking lifecycle', () => {
  let f: BookingFixture;
  let arrivals: SensorArrivals;
  beforeAll(async () => {
    f = await bookingFixture();
    arrivals = new SensorArrivals(f.transitions);
  });
  afterAll(() => f.close());

  async function bookedSpace(settings?: object) {
    const t = await f.tenant({ timeZone: 'UTC' });
    await f.sql(`INSERT INTO reservations.tariffs (id, tenant_id, site_id, effective_from, name, currency, definition) VALUES ($1, $2, $3, '2020-01-01', 'Flat', 'EUR', $4)`, [
      randomUUID(),
      t.tenantId,
      t.siteId,
      JSON.stringify(TARIFF),
    ]);
    if (settings) await f.sql(`INSERT INTO reservations.site_settings (site_id, tenant_id, settings) VALUES ($1, $2, $3)`, [t.siteId, t.tenantId, JSON.stringify(settings)]);
    const access = bookingAccess({ issuer: 'gateway', principal: t.principal }, 'write');
    const { reservation } = await f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[0], startTime: at(1).toISOString(), endTime: at(2).toISOString() });
    return { ...t, access, reservation };
  }

  const sensor = (t: { tenantId: string; spaceIds: string[]; siteId: string }, from: 'free' | 'occupied' | 'reserved', to: 'free' | 'occupied' | 'reserved', changedAt: Date): OccupancyEvents.SpaceStateChangedV1Data =>
    ({ tenantId: t.tenantId, spaceId: t.spaceIds[0], siteId: t.siteId, zoneId: null, from, to, cause: 'sensor', reading: null, changedAt: changedAt.toISOString(), version: 1 }) as OccupancyEvents.SpaceStateChangedV1Data;

  const events = (tenantId: string) => f.sql<{ subject: string }>(`SELECT subject FROM reservations.outbox WHERE tenant_id = $1 ORDER BY seq`, [tenantId]).then((rows) => rows.map((r) => r.subject.split('.').slice(0, 4).join('.')));

  it('prices the booking from the tariff, checks in on an arrival inside the window, and charges an overstay until the car leaves', async () => {
    const t = await bookedSpace();
    expect(t.reservation.price).toEqual({ amount: 200, currency: 'EUR' });
    // An arrival 10 minutes before the start is inside the default 15-minute window.
    await f.db.withTenant(t.tenantId, (tx) => arrivals.apply(tx, sensor(t, 'free', 'occupied', new Date(at(1).getTime() - 10 * 60_000))));
    expect((await f.queries.get(t.access, t.reservation.id)).state).toBe('checked_in');
    await f.db.withTenant(t.tenantId, async (tx) => f.transitions.overstay(tx, await findReservation(tx, t.reservation.id, { forUpdate: true }), at(2)));
    // Left 20 minutes late: two started 15-minute increments at 2.00/h = 100.
    await f.db.withTenant(t.tenantId, (tx) => arrivals.apply(tx, sensor(t, 'occupied', 'free', new Date(at(2).getTime() + 20 * 60_000))));
    const done = await f.queries.get(t.access, t.reservation.id);
    expect(done).toMatchObject({ state: 'completed', charged: { amount: 300, currency: 'EUR' } });
    expect(await events(t.tenantId)).toEqual([
      'reservations.reservation.created.v1',
      'reservations.reservation.checked_in.v1',
      'reservations.reservation.overstayed.v1',
      'reservations.reservation.ended.v1',
    ]);
    const revenue = await f.sql<{ amount: string; charges: number }>(`SELECT amount::text, charges FROM reservations.revenue_daily WHERE tenant_id = $1`, [t.tenantId]);
    expect(revenue).toEqual([{ amount: '300', charges: 2 }]);
  });

  it('ignores an arrival outside the check-in window; a booking never checked in becomes a no-show and forfeits its price', async () => {
    const t = await bookedSpace();
    await f.db.withTenant(t.tenantId, (tx) => arrivals.apply(tx, sensor(t, 'free', 'occupied', new Date(at(1).getTime() - 40 * 60_000))));
    expect((await f.queries.get(t.access, t.reservation.id)).state).toBe('confirmed');
    await f.db.withTenant(t.tenantId, async (tx) => {
      const row = await findReservation(tx, t.reservation.id, { forUpdate: true });
      await f.transitions.noShow(tx, row, row.check_in_closes_at, await loadSiteTerms(tx, row.site_id));
    });
    expect(await f.queries.get(t.access, t.reservation.id)).toMatchObject({ state: 'no_show', charged: { amount: 200 } });
    expect((await events(t.tenantId)).at(-1)).toBe('reservations.reservation.ended.v1');
  });

  it('cancels free before the deadline and charges the fee after it', async () => {
    const policy = { taxMode: 'included', taxRatePercent: 0, checkInWindow: { beforeMinutes: 15, afterMinutes: 15 }, noShowGraceMinutes: 15, rules: {} };
    const early = await bookedSpace({ ...policy, cancellation: { freeUntilMinutesBefore: 30, fee: { percentOfPrice: 50 } } });
    expect((await f.commands.cancel(early.access, early.reservation.id, { reason: 'plans changed' })).charged).toEqual({ amount: 0, currency: 'EUR' });
    // Freely cancellable only until 1000 hours before the start, which has passed: half the price.
    const late = await bookedSpace({ ...policy, cancellation: { freeUntilMinutesBefore: 60_000, fee: { percentOfPrice: 50 } } });
    expect(await f.commands.cancel(late.access, late.reservation.id, {})).toMatchObject({ state: 'cancelled', charged: { amount: 100 } });
  });

  describe('the space events, a batch at a time', () => {
    let consumer: SpaceEventsConsumer;
    beforeAll(() => {
      // Only the handler is exercised here; the JetStream side is the batch runner's, tested on its own.
      consumer = new SpaceEventsConsumer(arrivals, f.db as unknown as TenantDatabase<TemplateSqlClient>, undefined as never, undefined as never, undefined as never);
    });

    const envelope = <T>(def: EventDefinition<T, EventType>, data: T & { tenantId: string; spaceId: string }): EventEnvelope =>
      createEnvelope(def, { tenantId: data.tenantId, aggregateId: data.spaceId, data, source: sourceFor('occupancy') }) as EventEnvelope;
    const stateOf = (t: { tenantId: string; siteId: string }, spaceId: string, from: 'free' | 'occupied', to: 'free' | 'occupied', changedAt: Date, version: number) =>
      envelope(OccupancyEvents.SpaceStateChangedV1 as EventDefinition<OccupancyEvents.SpaceStateChangedV1Data, EventType>, {
        tenantId: t.tenantId, spaceId, siteId: t.siteId, zoneId: null, from, to, cause: 'sensor', reading: null, changedAt: changedAt.toISOString(), version,
      });
    const spaceRows = (tenantId: string) =>
      f.sql<{ code: string; state: string; state_version: number; removed: boolean }>(
        `SELECT code, state, state_version, removed_at IS NOT NULL AS removed FROM reservations.spaces WHERE tenant_id = $1 ORDER BY code`,
        [tenantId],
      );

    it('checks in and completes from one batch, keeps each space its newest state, and changes nothing when the batch comes again', async () => {
      const t = await bookedSpace();
      const other = await f.tenant({ spaces: 2, timeZone: 'UTC' });
      const arrived = new Date(at(1).getTime() - 5 * 60_000);
      const left = new Date(at(1).getTime() + 30 * 60_000);
      const newSpace = randomUUID();
      const batch = batchOf([
        stateOf(t, t.spaceIds[0], 'free', 'occupied', arrived, 2),
        // The other tenant's spaces: the newer state comes first and stays.
        stateOf(other, other.spaceIds[0], 'occupied', 'free', left, 3),
        stateOf(other, other.spaceIds[0], 'free', 'occupied', arrived, 2),
        envelope(OccupancyEvents.SpaceUpsertedV1 as EventDefinition<OccupancyEvents.SpaceUpsertedV1Data, EventType>, {
          tenantId: other.tenantId, spaceId: newSpace, siteId: other.siteId, zoneId: null, code: 'N-1', name: null, type: 'standard', priceZone: null, version: 1,
        }),
        envelope(OccupancyEvents.SpaceRemovedV1 as EventDefinition<OccupancyEvents.SpaceRemovedV1Data, EventType>, {
          tenantId: other.tenantId, spaceId: other.spaceIds[1], siteId: other.siteId, removedAt: arrived.toISOString(),
        }),
        stateOf(t, t.spaceIds[0], 'occupied', 'free', left, 3),
      ]);

      expect(await consumer.handle(batch)).toEqual(batch.map(() => ({ kind: 'ack' })));
      // Arrived five minutes before the start, left half an hour in: checked in and completed, charged the whole booked hour.
      expect(await f.queries.get(t.access, t.reservation.id)).toMatchObject({ state: 'completed', charged: { amount: 200, currency: 'EUR' } });
      expect(await spaceRows(t.tenantId)).toEqual([{ code: 'S-000', state: 'free', state_version: 3, removed: false }]);
      expect(await spaceRows(other.tenantId)).toEqual([
        { code: 'N-1', state: 'unknown', state_version: 0, removed: false },
        { code: 'S-000', state: 'free', state_version: 3, removed: false },
        { code: 'S-001', state: 'free', state_version: 1, removed: true },
      ]);
      const emitted = await events(t.tenantId);
      expect(emitted).toEqual(['reservations.reservation.created.v1', 'reservations.reservation.checked_in.v1', 'reservations.reservation.ended.v1']);

      // Redelivered (a lost ack): the inbox drops every event, nothing is applied twice.
      expect(await consumer.handle(batch)).toEqual(batch.map(() => ({ kind: 'ack' })));
      expect(await events(t.tenantId)).toEqual(emitted);
      const inbox = await f.sql<{ n: number }>(`SELECT count(*)::int AS n FROM reservations.inbox WHERE consumer = 'reservations-spaces' AND tenant_id = ANY($1::uuid[])`, [[t.tenantId, other.tenantId]]);
      expect(inbox).toEqual([{ n: batch.length }]);
    });

    it('judges no booking for spaces without one, and poisons an event of another kind', async () => {
      const t = await f.tenant({ timeZone: 'UTC' });
      const zone = createEnvelope(OccupancyEvents.ZoneUpsertedV1, {
        tenantId: t.tenantId, aggregateId: t.zoneId, source: sourceFor('occupancy'),
        data: { ...OccupancyEvents.ZoneUpsertedV1.example, tenantId: t.tenantId, zoneId: t.zoneId, siteId: t.siteId },
      }) as EventEnvelope;
      const outcomes = await consumer.handle(batchOf([stateOf(t, t.spaceIds[0], 'free', 'occupied', at(0), 2), zone]));
      expect(outcomes[0]).toEqual({ kind: 'ack' });
      expect(outcomes[1]).toMatchObject({ kind: 'poison', reason: expect.stringContaining('unexpected event type occupancy.zone.upserted.v1') });
      expect(await spaceRows(t.tenantId)).toEqual([{ code: 'S-000', state: 'occupied', state_version: 2, removed: false }]);
      expect(await events(t.tenantId)).toEqual([]);
    });
  });
});
