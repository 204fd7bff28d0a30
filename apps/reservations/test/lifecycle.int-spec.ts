// A booking's life from the sensor's readings and the clock, against a real PostgreSQL:
// check-in inside the window, completion when the car leaves, overstay charged at the
// site's rate, no-show, and cancellation inside and outside the free window.
import type { OccupancyEvents } from '@parking/contracts';
import { randomUUID } from 'node:crypto';
import { bookingAccess } from '../src/bookings/booking-access';
import { findReservation } from '../src/bookings/reservation-rows';
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
});
