import { addDays, instantOfWall, localTimestamp, parseClockRange, wallTimeAt, weekdayOf } from './wall-clock';

const utc = (ms: number) => new Date(ms).toISOString();

describe('the wall clock of a time zone', () => {
  it('places an ordinary local time, and 24:00 at the next midnight', () => {
    expect(utc(instantOfWall('2026-03-02', 9 * 60, 'Europe/Berlin'))).toBe('2026-03-02T08:00:00.000Z');
    expect(utc(instantOfWall('2026-03-02', 1440, 'Europe/Berlin'))).toBe('2026-03-02T23:00:00.000Z');
    expect(utc(instantOfWall('2026-03-02', 0, 'Asia/Kolkata'))).toBe('2026-03-01T18:30:00.000Z');
  });

  it('takes a time a spring-forward skips as the instant of the jump', () => {
    // Berlin 29 March: 02:00 CET becomes 03:00 CEST at 01:00Z.
    expect(utc(instantOfWall('2026-03-29', 2 * 60, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    expect(utc(instantOfWall('2026-03-29', 2 * 60 + 30, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    expect(utc(instantOfWall('2026-03-29', 3 * 60, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
    // New York 8 March: 02:00 EST becomes 03:00 EDT at 07:00Z.
    expect(utc(instantOfWall('2026-03-08', 2 * 60 + 30, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    // Lord Howe 4 October: a half-hour jump, 02:00 (+10:30) becomes 02:30 (+11:00).
    expect(utc(instantOfWall('2026-10-04', 2 * 60 + 15, 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30:00.000Z');
  });

  it('takes a time a fall-back repeats at its first pass', () => {
    // Berlin 25 October: 03:00 CEST becomes 02:00 CET at 01:00Z, so 02:30 happens at 00:30Z and 01:30Z.
    expect(utc(instantOfWall('2026-10-25', 2 * 60 + 30, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(utc(instantOfWall('2026-10-25', 3 * 60, 'Europe/Berlin'))).toBe('2026-10-25T02:00:00.000Z');
    expect(utc(instantOfWall('2026-11-01', 60 + 30, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('reads the clock with its offset', () => {
    expect(localTimestamp(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
    expect(localTimestamp(Date.parse('2026-03-29T00:59:59.999Z'), 'Europe/Berlin')).toBe('2026-03-29T01:59:59+01:00');
    expect(localTimestamp(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30:00-05:00');
    expect(localTimestamp(Date.parse('2026-03-02T00:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-02T05:30:00+05:30');
    expect(wallTimeAt(Date.parse('2026-03-01T23:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-02', minute: 30, second: 0, offsetMs: 3_600_000 });
  });

  it('knows weekdays and counts calendar days', () => {
    expect(['1970-01-01', '2026-03-02', '2026-03-29', '2026-11-01'].map(weekdayOf)).toEqual(['thu', 'mon', 'sun', 'sun']);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('parses time ranges, past midnight and to 24:00, and refuses the rest', () => {
    expect(parseClockRange('22:00-06:00')).toEqual({ start: 1320, end: 360 });
    expect(parseClockRange('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    for (const bad of ['08:00-08:00', '24:00-06:00', '8:00-10:00', '08:00-24:01', '08:60-10:00', '08:00']) expect(() => parseClockRange(bad)).toThrow(RangeError);
  });

  it('refuses a time zone Intl does not know', () => {
    expect(() => instantOfWall('2026-03-02', 0, 'Mars/Olympus')).toThrow(RangeError);
  });
});
