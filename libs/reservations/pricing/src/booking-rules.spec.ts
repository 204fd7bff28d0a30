import { checkBookingRules, type BookingRules } from './booking-rules';
import type { OpeningHours } from './opening-hours';

const BERLIN = 'Europe/Berlin';
const NOW = new Date('2026-03-01T12:00:00+01:00');
const HOURS: OpeningHours = { mon: ['07:00-22:00'], tue: ['07:00-22:00'], fri: ['22:00-24:00'], sat: ['00:00-06:00', '09:00-14:00'] };

const check = (from: string, to: string, options: { rules?: BookingRules | null; hours?: OpeningHours | null; now?: Date; timeZone?: string } = {}) =>
  checkBookingRules(options.rules ?? null, options.hours === undefined ? HOURS : options.hours, { from: new Date(from), to: new Date(to) }, options.now ?? NOW, options.timeZone ?? BERLIN);

describe('checkBookingRules', () => {
  it('passes a window inside the rules and the opening hours', () => {
    expect(check('2026-03-02T08:00:00+01:00', '2026-03-02T10:00:00+01:00', { rules: { minDurationMinutes: 30, maxDurationMinutes: 240, maxAdvanceDays: 30 } })).toBeNull();
  });

  it('wants the end after the start', () => {
    expect(check('2026-03-02T10:00:00+01:00', '2026-03-02T10:00:00+01:00')).toEqual({
      rule: 'window',
      message: 'the booking must end after it starts: choose an end later than the start',
    });
  });

  it('refuses a start in the past, before any other rule', () => {
    expect(check('2026-03-01T11:00:00+01:00', '2026-03-01T11:10:00+01:00', { rules: { minDurationMinutes: 30 }, hours: null })).toEqual({
      rule: 'inPast',
      message: 'the booking starts at 2026-03-01 11:00 (Europe/Berlin), which has passed: choose a start at 2026-03-01 12:00 (Europe/Berlin) or later',
    });
  });

  it('holds the duration between its limits', () => {
    expect(check('2026-03-02T10:00:00+01:00', '2026-03-02T10:20:00+01:00', { rules: { minDurationMinutes: 30 } })).toEqual({
      rule: 'minDuration',
      message: 'the booking lasts 20 minutes; book at least 30 minutes: end at 2026-03-02 10:30 (Europe/Berlin) or later',
    });
    expect(check('2026-03-02T08:00:00+01:00', '2026-03-02T13:00:00+01:00', { rules: { maxDurationMinutes: 240 } })).toEqual({
      rule: 'maxDuration',
      message: 'the booking lasts 300 minutes; book at most 240 minutes: end at 2026-03-02 12:00 (Europe/Berlin) or earlier',
    });
  });

  it("counts the days ahead in the site's local dates", () => {
    // 23:30Z on 2 March is already 3 March in Berlin: one day ahead reaches 4 March.
    const now = new Date('2026-03-02T23:30:00Z');
    const rules = { maxAdvanceDays: 1 };
    expect(check('2026-03-04T12:00:00+01:00', '2026-03-04T13:00:00+01:00', { rules, now, hours: null })).toBeNull();
    expect(check('2026-03-05T00:00:00+01:00', '2026-03-05T01:00:00+01:00', { rules, now, hours: null })).toEqual({
      rule: 'maxAdvance',
      message: 'bookings open at most 1 day ahead: choose a start on 2026-03-04 or earlier',
    });
  });

  it('wants the whole window in open time, ranges meeting at midnight counting as one', () => {
    expect(check('2026-03-06T22:30:00+01:00', '2026-03-07T05:30:00+01:00')).toBeNull();
    expect(check('2026-03-06T23:00:00+01:00', '2026-03-07T07:00:00+01:00')).toEqual({
      rule: 'openingHours',
      message: 'the site closes at 2026-03-07 06:00 (Europe/Berlin), before the booking ends: end it at 2026-03-07 06:00 (Europe/Berlin) or earlier',
    });
    expect(check('2026-03-02T21:00:00+01:00', '2026-03-02T23:00:00+01:00')?.message).toMatch(/^the site closes at 2026-03-02 22:00/);
  });

  it('says when a closed site opens next', () => {
    expect(check('2026-03-02T06:00:00+01:00', '2026-03-02T08:00:00+01:00')).toEqual({
      rule: 'openingHours',
      message: 'the site is closed at 2026-03-02 06:00 (Europe/Berlin): choose a start at 2026-03-02 07:00 (Europe/Berlin) or later, when it opens',
    });
    expect(check('2026-03-08T10:00:00+01:00', '2026-03-08T11:00:00+01:00')?.message).toMatch(/choose a start at 2026-03-09 07:00/);
    expect(check('2026-03-02T10:00:00+01:00', '2026-03-02T11:00:00+01:00', { hours: {} })).toEqual({
      rule: 'openingHours',
      message: 'the site is closed at 2026-03-02 10:00 (Europe/Berlin) and does not open within the following week: choose another time',
    });
  });

  it('takes null opening hours as always open', () => {
    expect(check('2026-03-08T03:00:00+01:00', '2026-03-10T03:00:00+01:00', { hours: null })).toBeNull();
  });

  it('keeps opening hours in wall-clock time across a change of clock', () => {
    // 29 March 01:00-03:00 lasts one real hour: 01:30 CET to 03:30 CEST runs past it.
    const hours = { sun: ['01:00-03:00'] };
    expect(check('2026-03-29T01:30:00+01:00', '2026-03-29T03:00:00+02:00', { hours })).toBeNull();
    expect(check('2026-03-29T01:30:00+01:00', '2026-03-29T03:30:00+02:00', { hours })?.message).toMatch(/^the site closes at 2026-03-29 03:00/);
  });
});
