import { cancellationCharge } from './cancellation';
import { overstayCharge } from './overstay';
import { priceWindow, type Quote } from './price-window';
import { CANCELLATION_CASES } from './cancellation-cases';
import { OVERSTAY_CASES } from './overstay-cases';
import { BERLIN, CITY, QUOTE_CASES, type ExpectedLine } from './pricing-cases';

const lineSummary = (quote: Quote): ExpectedLine[] => quote.lines.map((l) => [l.day, l.band, l.localStart, l.localEnd, l.chargedMinutes, l.amount]);

describe('priceWindow, by the worked examples', () => {
  it.each(QUOTE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const quote = priceWindow(c.tariff, { from: new Date(c.from), to: new Date(c.to) }, c.site, c.reservationFee === undefined ? {} : { reservationFee: c.reservationFee });
    const { lines, days, ...totals } = c.expected;
    expect(quote).toMatchObject(totals);
    if (lines) expect(lineSummary(quote)).toEqual(lines);
    if (days) expect(quote.days.map((d) => [d.day, d.uncapped, d.charged])).toEqual(days);
    // What every quote holds, whatever the case.
    expect(quote.total).toBe(quote.net + quote.tax);
    expect(quote.timeCharge).toBe(quote.days.reduce((sum, d) => sum + d.charged, 0));
    expect(quote.lines.reduce((sum, l) => sum + l.amount, 0)).toBe(quote.days.reduce((sum, d) => sum + d.uncapped, 0));
    expect(quote.lines.reduce((sum, l) => sum + l.durationMinutes, 0)).toBeCloseTo((Date.parse(c.to) - Date.parse(c.from)) / 60_000, 6);
    expect(quote.currency).toBe(c.tariff.currency);
  });

  it('has at least twenty of them', () => {
    expect(QUOTE_CASES.length).toBeGreaterThanOrEqual(20);
  });

  it('shows each tier of a line with its minutes and rate', () => {
    const quote = priceWindow(CITY, { from: new Date('2026-03-02T09:00:00+01:00'), to: new Date('2026-03-02T10:07:00+01:00') }, BERLIN);
    expect(quote.lines[0]).toMatchObject({
      label: 'mon-fri 08:00-18:00',
      durationMinutes: 67,
      tiers: [
        { tier: 0, fromMinute: 0, toMinute: 60, ratePerHour: 300, amount: 300 },
        { tier: 1, fromMinute: 60, toMinute: 75, ratePerHour: 200, amount: 50 },
      ],
    });
  });

  it('refuses a window that ends before it starts, or lasts more than 400 days', () => {
    const at = new Date('2026-03-02T09:00:00Z');
    expect(() => priceWindow(CITY, { from: at, to: at }, BERLIN)).toThrow('the window must end after it starts');
    expect(() => priceWindow(CITY, { from: at, to: new Date('2027-06-01T00:00:00Z') }, BERLIN)).toThrow('at most 400 days');
    expect(() => priceWindow(CITY, { from: new Date('nonsense'), to: at }, BERLIN)).toThrow('valid from and to');
  });

  it('refuses a malformed tariff rather than guess', () => {
    const bad = { ...CITY, bands: [{ ...CITY.bands[0], time: '08:00-08:00' }] };
    expect(() => priceWindow(bad, { from: new Date('2026-03-02T09:00:00Z'), to: new Date('2026-03-02T10:00:00Z') }, BERLIN)).toThrow(RangeError);
  });
});

describe('cancellationCharge, by the worked examples', () => {
  it.each(CANCELLATION_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const charge = cancellationCharge(c.policy, { price: c.price, startsAt: new Date(c.startsAt), cancelledAt: new Date(c.cancelledAt) });
    expect({ ...charge, freeUntil: charge.freeUntil.toISOString() }).toEqual(c.expected);
  });

  it('wants exactly one kind of fee once one is due', () => {
    const late = { price: 100, startsAt: new Date('2026-03-10T10:00:00Z'), cancelledAt: new Date('2026-03-10T09:59:00Z') };
    expect(() => cancellationCharge({ freeUntilMinutesBefore: 60, fee: { fixed: 1, percentOfPrice: 5 } }, late)).toThrow('exactly one');
    expect(() => cancellationCharge({ freeUntilMinutesBefore: 60, fee: {} }, late)).toThrow('exactly one');
  });
});

describe('overstayCharge, by the worked examples', () => {
  it.each(OVERSTAY_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const charge = overstayCharge(c.tariff, { bookedFrom: new Date(c.bookedFrom), bookedTo: new Date(c.bookedTo), leftAt: new Date(c.leftAt) }, c.site);
    const { days, ...totals } = c.expected;
    expect(charge).toMatchObject(totals);
    if (days) expect(charge.days.map((d) => [d.day, d.stay, d.booked, d.charged])).toEqual(days);
    expect(charge.subtotal).toBe(charge.timeCharge - charge.minimumChargeCredit);
  });

  it('is nothing when the car left in time', () => {
    const charge = overstayCharge(CITY, { bookedFrom: new Date('2026-03-02T09:00:00+01:00'), bookedTo: new Date('2026-03-02T10:00:00+01:00'), leftAt: new Date('2026-03-02T09:30:00+01:00') }, BERLIN);
    expect(charge).toMatchObject({ timeCharge: 0, total: 0, days: [] });
    expect(charge.to.toISOString()).toBe('2026-03-02T09:00:00.000Z');
  });
});
