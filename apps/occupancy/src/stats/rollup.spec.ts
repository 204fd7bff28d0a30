import fc from 'fast-check';
import { dwellBucket, rollUp, StatsTransition, WHOLE_SITE } from './rollup';
import { hourPieces, localDate, localHourStart } from './site-clock';
import { hourlyOccupancy } from './hourly-occupancy';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

function transition(overrides: Partial<StatsTransition>): StatsTransition {
  return {
    tenantId: 't',
    spaceId: 's1',
    siteId: 'site',
    zonePath: [],
    timeZone: 'UTC',
    from: 'free',
    to: 'occupied',
    since: at('2026-12-01T08:00:00Z'),
    at: at('2026-12-01T09:00:00Z'),
    ...overrides,
  };
}

describe('site clock', () => {
  it('finds local hours in half-hour time zones and local days across DST', () => {
    expect(new Date(localHourStart(Date.parse('2026-12-01T10:45:10.250Z'), 'Asia/Kolkata')).toISOString()).toBe('2026-12-01T10:30:00.000Z');
    expect(new Date(localHourStart(Date.parse('2026-12-01T10:45:10.250Z'), 'UTC')).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(localDate(Date.parse('2026-12-01T23:30:00Z'), 'Europe/Berlin')).toBe('2026-12-02');
    // 2026-10-25 in Berlin has 25 hours: 02:00 local comes twice.
    const day = hourPieces(Date.parse('2026-10-24T22:00:00Z'), Date.parse('2026-10-25T23:00:00Z'), 'Europe/Berlin');
    expect(day).toHaveLength(25);
    expect(new Set(day.map((p) => p.day))).toEqual(new Set(['2026-10-25']));
  });

  it('agrees with Intl for any instant, in zones with DST, half-hour offsets and both', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'America/St_Johns', 'Australia/Lord_Howe'];
    const reference = (ms: number, timeZone: string) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', minute: '2-digit', second: '2-digit' })
          .formatToParts(ms)
          .map((p) => [p.type, p.value]),
      );
      return { hour: ms - (Number(parts.minute) * 60 + Number(parts.second)) * 1000 - (ms % 1000), date: `${parts.year}-${parts.month}-${parts.day}` };
    };
    // Instants within 3 hours of 2026's clock changes in those zones, where caching an offset could go wrong.
    const changes = ['2026-03-29T01:00Z', '2026-10-25T01:00Z', '2026-03-08T07:00Z', '2026-11-01T06:00Z', '2026-04-04T16:30Z', '2026-10-03T16:30Z', '2026-03-08T05:30Z', '2026-11-01T04:30Z', '2026-04-04T15:00Z', '2026-10-03T15:30Z'];
    const nearATransition = fc.tuple(fc.constantFrom(...changes.map((c) => Date.parse(c))), fc.integer({ min: -3 * HOUR, max: 3 * HOUR })).map(([change, by]) => change + by);
    const anyInstant = fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') });
    fc.assert(
      fc.property(fc.oneof(anyInstant, nearATransition), fc.constantFrom(...zones), (ms, timeZone) => {
        expect({ hour: localHourStart(ms, timeZone), date: localDate(ms, timeZone) }).toEqual(reference(ms, timeZone));
      }),
      { numRuns: 2_000 },
    );
  });

  it('cuts a span at local hour boundaries, keeping every millisecond', () => {
    const pieces = hourPieces(Date.parse('2026-12-01T10:45:00Z'), Date.parse('2026-12-01T12:10:00Z'), 'Asia/Kolkata');
    expect(pieces.map((p) => [new Date(p.hour).toISOString(), p.ms / 60_000])).toEqual([
      ['2026-12-01T10:30:00.000Z', 45],
      ['2026-12-01T11:30:00.000Z', 40],
    ]);
  });
});

describe('rollUp', () => {
  it('credits the time spent free as observed, split over the hours it spanned, and counts the arrival in the hour of the change', () => {
    const { zoneHours, spaceDays } = rollUp([transition({ since: at('2026-12-01T08:30:00Z'), at: at('2026-12-01T09:15:00Z') })]);
    expect(zoneHours.map((r) => [new Date(r.hour).toISOString(), r.observedMs / 60_000, r.occupiedMs, r.arrivals])).toEqual([
      ['2026-12-01T08:00:00.000Z', 30, 0, 0],
      ['2026-12-01T09:00:00.000Z', 15, 0, 1],
    ]);
    expect(spaceDays).toEqual([expect.objectContaining({ day: '2026-12-01', observedMs: 45 * 60_000, arrivals: 1, occupiedMs: 0 })]);
  });

  it('credits an occupied stay to the site and every zone on the path, with its dwell in the hour and day it ended', () => {
    const { zoneHours } = rollUp([
      transition({ from: 'occupied', to: 'free', zonePath: ['level', 'zone'], since: at('2026-12-01T23:00:00Z'), at: at('2026-12-02T01:30:00Z') }),
    ]);
    expect(new Set(zoneHours.map((r) => r.zoneKey))).toEqual(new Set([WHOLE_SITE, 'level', 'zone']));
    const site = zoneHours.filter((r) => r.zoneKey === WHOLE_SITE);
    expect(site.map((r) => r.occupiedMs / 60_000)).toEqual([60, 60, 30]);
    expect(site.map((r) => r.dwellCount)).toEqual([0, 0, 1]);
    expect(site[2]).toMatchObject({ departures: 1, dwellMsSum: 150 * 60_000, dwellBuckets: [0, 0, 1, 0] });
  });

  it('splits days at local midnight of the site, not UTC midnight', () => {
    const { spaceDays } = rollUp([transition({ from: 'occupied', to: 'free', timeZone: 'Europe/Berlin', since: at('2026-12-01T22:00:00Z'), at: at('2026-12-01T23:30:00Z') })]);
    expect(spaceDays.map((r) => [r.day, r.occupiedMs / 60_000])).toEqual([
      ['2026-12-01', 60],
      ['2026-12-02', 30],
    ]);
  });

  it('leaves unknown and maintenance time out, and never credits negative time', () => {
    expect(rollUp([transition({ from: 'unknown', to: 'free' })])).toEqual({ zoneHours: [], spaceDays: [] });
    const skewed = rollUp([transition({ from: 'occupied', to: 'free', since: at('2026-12-01T09:00:01Z'), at: at('2026-12-01T09:00:00Z') })]);
    expect(skewed.zoneHours[0]).toMatchObject({ occupiedMs: 0, dwellCount: 1, dwellMsSum: 0 });
  });

  it('sums many changes into one row per key, in key order', () => {
    const rows = rollUp([transition({ spaceId: 'b' }), transition({ spaceId: 'a' }), transition({ spaceId: 'a', from: 'occupied', to: 'free', since: at('2026-12-01T09:00:00Z'), at: at('2026-12-01T09:00:00Z') })]);
    expect(rows.zoneHours.find((r) => r.hour === Date.parse('2026-12-01T09:00:00Z'))).toMatchObject({ arrivals: 2, departures: 1 });
    expect(rows.spaceDays.map((r) => r.spaceId)).toEqual(['a', 'b']);
  });

  it('buckets stays by length', () => {
    expect([0, 15 * 60_000 - 1, 15 * 60_000, HOUR, 4 * HOUR - 1, 4 * HOUR].map(dwellBucket)).toEqual([0, 0, 1, 2, 2, 3]);
  });
});

describe('hourlyOccupancy', () => {
  const start = Date.parse('2026-12-01T00:00:00Z');

  it('adds spells still open: one begun before an hour fills it, one begun inside fills the rest, up to now', () => {
    const now = start + 2 * HOUR + 30 * 60_000;
    const view = hourlyOccupancy(start, start + 4 * HOUR, now, [{ hour: start, occupiedMs: 600_000, observedMs: 1_200_000, arrivals: 2, departures: 1 }], [
      { bucket: 0, occupied: true, spaces: 2, sinceOffsetMs: 0 },
      { bucket: 1, occupied: false, spaces: 1, sinceOffsetMs: HOUR + 45 * 60_000 },
    ]);
    expect(view.hours.map((h) => [h.occupiedSeconds, h.observedSeconds])).toEqual([
      [7_200 + 600, 7_200 + 1_200],
      [7_200, 7_200 + 900],
      [3_600, 3_600 + 1_800],
      [0, 0],
    ]);
    expect(view.hours[3].occupancyRate).toBeNull();
    expect(view.totals).toMatchObject({ arrivals: 2, departures: 1, occupiedSeconds: 18_600, observedSeconds: 21_900, peakHour: '2026-12-01T00:00:00.000Z' });
    expect(view.totals.peakOccupancyRate).toBeCloseTo(7_800 / 8_400);
  });
});
