// Quotes, tariffs, site settings, availability, revenue and statistics of the service against a
// real PostgreSQL. Every hand-computed case of the pricing table is quoted through the service:
// tariff selection, the site's clock and tax settings must give the table's totals.
import type { Tariff } from '@parking/reservations/pricing';
import { randomUUID } from 'node:crypto';
// The hand-computed table lives with the pricing library's own specs.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { QUOTE_CASES } from '../../../libs/reservations/pricing/src/pricing-cases';
import { bookingAccess } from '../src/bookings/booking-access';
import { findReservation } from '../src/bookings/reservation-rows';
import { QuotesUseCase } from '../src/pricing/quotes.use-case';
import { loadSiteTerms } from '../src/pricing/site-terms';
import { TariffsUseCase } from '../src/pricing/tariffs.use-case';
import { RevenueUseCase } from '../src/revenue/revenue.use-case';
import { bookingFixture, refusalOf, type BookingFixture } from './booking-fixture';

const HOUR = 3_600_000;
const BASE = Math.ceil((Date.now() + 5 * 24 * HOUR) / HOUR) * HOUR;
const at = (hours: number) => new Date(BASE + hours * HOUR).toISOString();

const SETTINGS = (taxMode: string, taxRatePercent: number) => ({
  taxMode,
  taxRatePercent,
  cancellation: { freeUntilMinutesBefore: 0, fee: { fixed: 0 } },
});

describe('quotes, tariffs and reports', () => {
  let f: BookingFixture;
  let quotes: QuotesUseCase;
  let tariffs: TariffsUseCase;
  let revenue: RevenueUseCase;
  beforeAll(async () => {
    f = await bookingFixture();
    quotes = new QuotesUseCase(f.db, { ttlMs: 15 * 60_000 });
    tariffs = new TariffsUseCase(f.db);
    revenue = new RevenueUseCase(f.db);
  });
  afterAll(() => f.close());

  it.each(QUOTE_CASES.filter((c) => c.reservationFee !== false).map((c) => [c.name, c] as const))('quotes the table case "%s"', async (_name, c) => {
    const t = await f.tenant({ timeZone: c.site.timeZone });
    await tariffs.putSettings(t.principal, t.siteId, SETTINGS(c.site.taxMode, c.site.taxRatePercent) as never);
    await tariffs.create(t.principal, t.siteId, { ...(c.tariff as Tariff), priceZone: null } as never);
    const quote = await quotes.quote(t.principal, { spaceId: t.spaceIds[0], from: c.from, to: c.to });
    expect(quote.total).toEqual({ amount: c.expected.total, currency: c.tariff.currency });
    expect(new Date(quote.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('prices a booking that names its quote at the quoted price, and refuses a quote for another window', async () => {
    const t = await f.tenant({ timeZone: 'UTC' });
    await tariffs.create(t.principal, t.siteId, { name: 'Flat', currency: 'EUR', effectiveFrom: '2020-01-01', bands: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '00:00-24:00', incrementMinutes: 60, tiers: [{ ratePerHour: 300 }] }] } as never);
    const quote = await quotes.quote(t.principal, { spaceId: t.spaceIds[0], from: at(1), to: at(3) });
    expect(quote.total.amount).toBe(600);
    const access = bookingAccess({ issuer: 'gateway', principal: t.principal }, 'write');
    const { reservation } = await f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[0], startTime: at(1), endTime: at(3), quoteId: quote.id });
    expect(reservation).toMatchObject({ quoteId: quote.id, price: { amount: 600, currency: 'EUR' } });
    const wrong = await refusalOf(f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[0], startTime: at(4), endTime: at(5), quoteId: quote.id }));
    expect(wrong).toMatchObject({ code: 'QUOTE_NOT_APPLICABLE', status: 422 });
  });

  it('keeps one tariff per site, price zone and date, and replaces one only at the version read', async () => {
    const t = await f.tenant({ timeZone: 'UTC' });
    const body = { name: 'A', currency: 'EUR', effectiveFrom: '2026-01-01', bands: [{ days: ['mon'], time: '08:00-18:00', incrementMinutes: 15, tiers: [{ ratePerHour: 100 }] }] };
    const created = await tariffs.create(t.principal, t.siteId, body as never);
    expect(await refusalOf(tariffs.create(t.principal, t.siteId, body as never))).toMatchObject({ code: 'CONFLICT' });
    expect(await refusalOf(tariffs.update(t.principal, created.id, { ...body, name: 'B', version: 9 } as never))).toMatchObject({ code: 'CONFLICT' });
    expect(await tariffs.update(t.principal, created.id, { ...body, name: 'B', version: 1 } as never)).toMatchObject({ name: 'B', version: 2 });
    expect((await tariffs.list(t.principal, { siteId: t.siteId }, 10)).items.map((x) => x.name)).toEqual(['B']);
    await tariffs.remove(t.principal, created.id);
    expect(await refusalOf(tariffs.get(t.principal, created.id))).toMatchObject({ code: 'NOT_FOUND' });
    // Another tenant sees nothing of it.
    const other = await f.tenant();
    expect(await refusalOf(tariffs.get(other.principal, created.id))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('offers only spaces free for the whole window, never one in maintenance, nor one occupied now for a window starting now', async () => {
    const t = await f.tenant({ spaces: 4, timeZone: 'UTC' });
    const access = bookingAccess({ issuer: 'gateway', principal: t.principal }, 'write');
    await f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[0], startTime: at(1), endTime: at(2) });
    await f.sql(`UPDATE reservations.spaces SET state = 'maintenance' WHERE id = $1`, [t.spaceIds[1]]);
    await f.sql(`UPDATE reservations.spaces SET state = 'occupied' WHERE id = $1`, [t.spaceIds[2]]);
    const later = await f.queries.availability(t.principal, { siteId: t.siteId, from: at(1.5), to: at(3) });
    expect(later.spaces.map((s) => s.spaceId).sort()).toEqual([t.spaceIds[2], t.spaceIds[3]].sort());
    expect(later).toMatchObject({ total: 4, available: 2, byType: [{ type: 'standard', total: 4, available: 2 }] });
    const now = await f.queries.availability(t.principal, { zoneId: t.zoneId, from: new Date().toISOString(), to: at(0) });
    expect(now.spaces.map((s) => s.spaceId).sort()).toEqual([t.spaceIds[0], t.spaceIds[3]].sort());
  });

  it('reports revenue per local day, zone and space from the charges, and booking statistics', async () => {
    const t = await f.tenant({ spaces: 2, timeZone: 'UTC' });
    await tariffs.create(t.principal, t.siteId, { name: 'Flat', currency: 'EUR', effectiveFrom: '2020-01-01', bands: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '00:00-24:00', incrementMinutes: 60, tiers: [{ ratePerHour: 300 }] }] } as never);
    const access = bookingAccess({ issuer: 'gateway', principal: t.principal }, 'write');
    const one = await f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[0], startTime: at(1), endTime: at(2) });
    const two = await f.booking.create(access, randomUUID(), { spaceId: t.spaceIds[1], startTime: at(1), endTime: at(3) });
    for (const { reservation } of [one, two]) {
      await f.db.withTenant(t.tenantId, async (tx) => {
        const row = await findReservation(tx, reservation.id, { forUpdate: true });
        await f.transitions.noShow(tx, row, row.check_in_closes_at, await loadSiteTerms(tx, row.site_id));
      });
    }
    const day = at(1).slice(0, 10);
    const byDay = await revenue.revenue(t.principal, { siteId: t.siteId, from: day, to: day });
    expect(byDay).toMatchObject({ rows: [{ key: day, currency: 'EUR', amount: 900, charges: 2 }], totals: [{ currency: 'EUR', amount: 900 }] });
    const bySpace = await revenue.revenue(t.principal, { siteId: t.siteId, from: day, to: day, groupBy: 'space' });
    expect(bySpace.rows.map((r) => [r.key, r.amount]).sort()).toEqual([[t.spaceIds[0], 300], [t.spaceIds[1], 600]].sort());
    const stats = await f.queries.stats(t.principal, { siteId: t.siteId, from: at(0), to: at(10) });
    expect(stats).toMatchObject({ total: 2, byState: { no_show: 2, confirmed: 0 }, noShowRate: 1 });
    expect(stats.averageLeadMinutes).toBeGreaterThan(0);
  });
});
