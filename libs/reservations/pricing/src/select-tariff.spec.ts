import { selectTariff } from './select-tariff';

const tariff = (name: string, effectiveFrom: string, priceZone?: string | null) => ({ name, effectiveFrom, ...(priceZone === undefined ? {} : { priceZone }) });

const TARIFFS = [
  tariff('site 2026', '2026-01-01'),
  tariff('site spring', '2026-04-01', null),
  tariff('zone A', '2026-02-01', 'A'),
  tariff('zone A summer', '2026-06-01', 'A'),
];

const pick = (priceZone: string | null, at: string, timeZone = 'Europe/Berlin') => selectTariff(TARIFFS, { priceZone, at: new Date(at), timeZone })?.name ?? null;

describe('selectTariff', () => {
  it("takes the price zone's latest tariff in effect, else the site's", () => {
    expect(pick('A', '2026-03-02T10:00:00Z')).toBe('zone A');
    expect(pick('B', '2026-03-02T10:00:00Z')).toBe('site 2026');
    expect(pick(null, '2026-03-02T10:00:00Z')).toBe('site 2026');
    expect(pick('B', '2026-05-01T10:00:00Z')).toBe('site spring');
    expect(pick('A', '2026-05-01T10:00:00Z')).toBe('zone A');
  });

  it("falls back to the site's tariff while the zone has none in effect yet", () => {
    expect(pick('A', '2026-01-15T10:00:00Z')).toBe('site 2026');
  });

  it("decides by the site's local date", () => {
    // 22:30Z on 31 May is 00:30 on 1 June in Berlin, 18:30 on 31 May in New York.
    expect(pick('A', '2026-05-31T22:30:00Z')).toBe('zone A summer');
    expect(pick('A', '2026-05-31T22:30:00Z', 'America/New_York')).toBe('zone A');
  });

  it('answers null when no tariff is in effect', () => {
    expect(pick('A', '2025-12-31T12:00:00Z')).toBeNull();
    expect(selectTariff([tariff('zone only', '2026-01-01', 'A')], { priceZone: 'B', at: new Date('2026-03-02T10:00:00Z'), timeZone: 'UTC' })).toBeNull();
  });
});
