// The site's booking rules, the plan's monthly limit and extensions, against a real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { bookingAccess } from '../src/bookings/booking-access';
import { bookingFixture, refusalOf, type BookingFixture } from './booking-fixture';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A Wednesday at 10:00 UTC some weeks ahead, so weekday rules are predictable. */
const BASE = (() => {
  const d = new Date(Date.now() + 14 * 24 * HOUR);
  d.setUTCHours(10, 0, 0, 0);
  while (d.getUTCDay() !== 3) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
})();
const at = (minutes: number) => new Date(BASE + minutes * MINUTE).toISOString();

const TARIFF = { name: 'Flat', currency: 'EUR', effectiveFrom: '2020-01-01', priceZone: null, bands: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '00:00-24:00', incrementMinutes: 15, tiers: [{ ratePerHour: 200 }] }] };
const SETTINGS = {
  taxMode: 'included',
  taxRatePercent: 0,
  checkInWindow: { beforeMinutes: 15, afterMinutes: 15 },
  noShowGraceMinutes: 15,
  cancellation: { freeUntilMinutesBefore: 0, fee: { fixed: 0 } },
  rules: { minDurationMinutes: 30, maxDurationMinutes: 240, maxAdvanceDays: 60 },
};


describe('booking rules, the monthly limit and extensions', () => {
  let f: BookingFixture;
  beforeAll(async () => {
    f = await bookingFixture();
  });
  afterAll(() => f.close());

  async function site(options: { openingHours?: object; limit?: number | null } = {}) {
    const t = await f.tenant({ timeZone: 'UTC', spaces: 2 });
    await f.sql(`UPDATE reservations.sites SET opening_hours = $2 WHERE id = $1`, [t.siteId, options.openingHours ? JSON.stringify(options.openingHours) : null]);
    await f.sql(`INSERT INTO reservations.site_settings (site_id, tenant_id, settings) VALUES ($1, $2, $3)`, [t.siteId, t.tenantId, JSON.stringify(SETTINGS)]);
    await f.sql(`INSERT INTO reservations.tariffs (id, tenant_id, site_id, effective_from, name, currency, definition) VALUES ($1, $2, $3, '2020-01-01', 'Flat', 'EUR', $4)`, [randomUUID(), t.tenantId, t.siteId, JSON.stringify(TARIFF)]);
    if (options.limit !== undefined) await f.sql(`INSERT INTO reservations.tenant_limits (tenant_id, reservations_per_month, version) VALUES ($1, $2, 1)`, [t.tenantId, options.limit]);
    const access = bookingAccess({ issuer: 'gateway', principal: t.principal }, 'write');
    const book = (from: number, to: number, space = 0) => f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[space], startTime: at(from), endTime: at(to) });
    return { ...t, access, book };
  }

  it.each([
    ['minDuration', 0, 20, 'endTime'],
    ['maxDuration', 0, 300, 'endTime'],
    ['maxAdvance', 90 * 24 * 60, 90 * 24 * 60 + 60, 'startTime'],
  ])('refuses a booking that breaks the %s rule with 422 naming it', async (rule, from, to, field) => {
    const s = await site();
    const error = await refusalOf(s.book(from as number, to as number));
    expect(error).toMatchObject({ code: 'RESERVATION_RULE_VIOLATED', status: 422, extras: { rule } });
    expect(error.errors?.[0].field).toBe(field);
  });

  it('refuses a start in the past and a window outside the opening hours, saying when it opens', async () => {
    const s = await site({ openingHours: { wed: ['08:00-12:00'], thu: ['08:00-12:00'] } });
    const past = await refusalOf(f.booking.create(s.access, randomUUID(), { spaceId: s.spaceIds[0], startTime: new Date(Date.now() - HOUR).toISOString(), endTime: new Date(Date.now() + HOUR).toISOString() }));
    expect(past.extras).toEqual({ rule: 'inPast' });
    const closing = await refusalOf(s.book(60, 180)); // 11:00–13:00, the site closes at 12:00
    expect(closing.extras).toEqual({ rule: 'openingHours' });
    expect(closing.detail).toMatch(/12:00/);
    expect((await s.book(0, 120)).reservation.state).toBe('confirmed'); // 10:00–12:00 fits
  });

  it("enforces the plan's reservationsPerMonth with 403 LIMIT_EXCEEDED; refused bookings do not count", async () => {
    const s = await site({ limit: 2 });
    await s.book(0, 60);
    await refusalOf(s.book(30, 90)); // overlap: not counted
    await s.book(0, 60, 1);
    const over = await refusalOf(s.book(120, 180));
    expect(over).toMatchObject({ code: 'LIMIT_EXCEEDED', status: 403, extras: { limit: 'reservationsPerMonth', max: 2 } });
    const [{ active }] = await f.sql<{ active: number }>(`SELECT count(*)::int AS active FROM reservations.reservations WHERE tenant_id = $1`, [s.tenantId]);
    expect(active).toBe(2);
  });

  describe('extend', () => {
    it('moves the end later and prices the extra time, without a second fee', async () => {
      const s = await site();
      const { reservation } = await s.book(0, 60);
      expect(reservation.price).toEqual({ amount: 200, currency: 'EUR' });
      const { reservation: longer, replayed } = await f.commands.extend(s.access, reservation.id, 'ext-1', { endTime: at(90), version: reservation.version });
      expect(replayed).toBe(false);
      expect(longer).toMatchObject({ endTime: at(90), price: { amount: 300 }, version: reservation.version + 1 });
      // The same key again answers the same, without extending twice.
      const again = await f.commands.extend(s.access, reservation.id, 'ext-1', { endTime: at(90), version: reservation.version });
      expect(again).toEqual({ reservation: longer, replayed: true });
    });

    it('answers 409 RESERVATION_OVERLAP when the space is booked then, 409 CONFLICT on a stale version, and 422 past the maximum duration', async () => {
      const s = await site();
      const { reservation } = await s.book(0, 60);
      await s.book(90, 150);
      expect(await refusalOf(f.commands.extend(s.access, reservation.id, randomUUID(), { endTime: at(120) }))).toMatchObject({ code: 'RESERVATION_OVERLAP', extras: { conflicts: [{ startTime: at(90), endTime: at(150) }] } });
      expect(await refusalOf(f.commands.extend(s.access, reservation.id, randomUUID(), { endTime: at(80), version: 7 }))).toMatchObject({ code: 'CONFLICT' });
      const { reservation: other } = await s.book(0, 60, 1);
      expect(await refusalOf(f.commands.extend(s.access, other.id, randomUUID(), { endTime: at(300) }))).toMatchObject({ code: 'RESERVATION_RULE_VIOLATED', extras: { rule: 'maxDuration' } });
      expect((await f.queries.get(s.access, reservation.id)).endTime).toBe(at(60));
    });
  });
});
