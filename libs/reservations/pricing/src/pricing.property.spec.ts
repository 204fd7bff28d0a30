import fc from 'fast-check';
import { priceWindow, type PricingSite } from './price-window';
import type { RateTier, Tariff, TariffBand } from './tariff';
import { WEEKDAYS } from './wall-clock';

/**
 * Properties over random tariffs, zones and windows (2026, so every kind of change of clock
 * is met: Berlin, New York, Lord Howe's half hour, Kolkata's half-hour offset).
 */

const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

/** Tiers whose rates never rise when `falling`, rates whole per minute (multiples of 60). */
const tiers = (falling: boolean): fc.Arbitrary<RateTier[]> =>
  fc
    .record({
      bounds: fc.uniqueArray(fc.integer({ min: 1, max: 600 }), { maxLength: 2 }),
      rates: fc.array(fc.integer({ min: 0, max: 10 }).map((n) => n * 60), { minLength: 3, maxLength: 3 }),
    })
    .map(({ bounds, rates }) => {
      const sorted = [...bounds].sort((a, b) => a - b);
      const ordered = falling ? [...rates].sort((a, b) => b - a) : rates;
      return [...sorted.map((upToMinutes, i) => ({ upToMinutes, ratePerHour: ordered[i] })), { ratePerHour: ordered[sorted.length] }];
    });

const increment = fc.constantFrom(1, 5, 10, 15, 30, 60);

/** A day band and the night band that complements it (past midnight), on some weekdays; the other days free. */
const bands = (falling: boolean): fc.Arbitrary<TariffBand[]> =>
  fc.oneof(
    fc.record({ incrementMinutes: increment, tiers: tiers(falling) }).map((band) => [{ days: WEEKDAYS, time: '00:00-24:00', ...band }]),
    fc
      .record({
        days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
        opens: fc.integer({ min: 1, max: 11 }),
        closes: fc.integer({ min: 13, max: 23 }),
        day: fc.record({ incrementMinutes: increment, tiers: tiers(falling) }),
        night: fc.record({ incrementMinutes: increment, tiers: tiers(falling) }),
      })
      .map(({ days, opens, closes, day, night }) => {
        const at = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
        return [
          { days, time: `${at(opens)}-${at(closes)}`, ...day },
          { days, time: `${at(closes)}-${at(opens)}`, ...night },
        ];
      }),
  );

const tariff = (falling: boolean): fc.Arbitrary<Tariff> =>
  fc.record({
    name: fc.constant('Random'),
    currency: fc.constant('EUR'),
    effectiveFrom: fc.constant('2026-01-01'),
    bands: bands(falling),
    dailyMaximum: fc.option(fc.record({ amount: fc.integer({ min: 0, max: 5000 }), resetAt: fc.constantFrom('00:00', '06:00', '02:30', '23:45') }), { nil: null }),
    minimumCharge: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: null }),
    reservationFee: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
  });

const site: fc.Arbitrary<PricingSite> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  taxMode: fc.constantFrom('included' as const, 'added' as const),
  taxRatePercent: fc.constantFrom(0, 7, 7.7, 19, 20),
});

/** 2026's changes of clock in the zones above. */
const CLOCK_CHANGES = ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z'].map(Date.parse);

/** A start on a whole second: anywhere in 2026, or in the two days before a change of clock. */
const start = fc.oneof(
  fc.integer({ min: 0, max: 365 * 86_400 - 1 }).map((s) => YEAR_START + s * 1000),
  fc.tuple(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: 1, max: 2 * 86_400 })).map(([change, s]) => change - s * 1000),
);
/** Up to three days, often on whole minutes, sometimes not. */
const length = fc.oneof(fc.integer({ min: 1, max: 3 * 1440 }).map((m) => m * MINUTE), fc.integer({ min: 1, max: 3 * 86_400 }).map((s) => s * 1000));

const quote = (t: Tariff, s: PricingSite, from: number, to: number, reservationFee = true) => priceWindow(t, { from: new Date(from), to: new Date(to) }, s, { reservationFee });

describe('pricing properties', () => {
  it('never costs less for a longer window', () => {
    fc.assert(
      fc.property(tariff(false), site, start, length, length, (t, s, from, shorter, more) => {
        expect(quote(t, s, from, from + shorter).total).toBeLessThanOrEqual(quote(t, s, from, from + shorter + more).total);
      }),
      { numRuns: 150 },
    );
  });

  it('covers the window back to back, and no day costs more than the daily maximum', () => {
    fc.assert(
      fc.property(tariff(false), site, start, length, (t, s, from, span) => {
        const q = quote(t, s, from, from + span);
        expect(q.lines[0].start.getTime()).toBe(from);
        expect(q.lines[q.lines.length - 1].end.getTime()).toBe(from + span);
        q.lines.slice(1).forEach((line, i) => expect(line.start.getTime()).toBe(q.lines[i].end.getTime()));
        for (const day of q.days) {
          const lines = q.lines.filter((line) => line.day === day.day);
          expect(day.uncapped).toBe(lines.reduce((sum, line) => sum + line.amount, 0));
          expect(day.charged).toBe(t.dailyMaximum ? Math.min(day.uncapped, t.dailyMaximum.amount) : day.uncapped);
        }
        expect(q.total).toBe(q.net + q.tax);
      }),
      { numRuns: 150 },
    );
  });

  it('charges every real minute once, whatever the clock does', () => {
    const perMinute: Tariff = {
      name: 'Per minute',
      currency: 'EUR',
      effectiveFrom: '2026-01-01',
      bands: [{ days: WEEKDAYS, time: '00:00-24:00', incrementMinutes: 1, tiers: [{ ratePerHour: 60 }] }],
    };
    fc.assert(
      fc.property(site, start, fc.integer({ min: 1, max: 3 * 1440 }), (s, anyStart, minutes) => {
        // On whole minutes: a minute cut by the start of a new day would be two started minutes.
        const from = anyStart - (anyStart % MINUTE);
        const q = quote(perMinute, s, from, from + minutes * MINUTE);
        expect(q.lines.reduce((sum, line) => sum + line.chargedMinutes, 0)).toBe(minutes);
        expect(q.timeCharge).toBe(minutes);
      }),
      { numRuns: 150 },
    );
  });

  it('never gets cheaper by splitting a stay in two, and each part pays at least the minimum', () => {
    fc.assert(
      fc.property(tariff(true), site, start, length, length, (t, s, from, first, second) => {
        const whole = quote(t, s, from, from + first + second, false);
        const before = quote(t, s, from, from + first, false);
        const after = quote(t, s, from + first, from + first + second, false);
        expect(whole.subtotal).toBeLessThanOrEqual(before.subtotal + after.subtotal);
        for (const part of [before, after]) expect(part.subtotal).toBeGreaterThanOrEqual(t.minimumCharge ?? 0);
      }),
      { numRuns: 150 },
    );
  });
});
