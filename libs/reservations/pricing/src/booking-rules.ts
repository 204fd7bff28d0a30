import { openStretches, nextOpening, type OpeningHours } from './opening-hours';
import type { TimeWindow } from './price-window';
import { addDays, localDateOf, localReadable, MINUTE_MS } from './wall-clock';

export interface BookingRules {
  minDurationMinutes?: number | null;
  maxDurationMinutes?: number | null;
  /** The start's local date may be at most this many days after today's. */
  maxAdvanceDays?: number | null;
}

export type BookingRule = 'window' | 'inPast' | 'minDuration' | 'maxDuration' | 'maxAdvance' | 'openingHours';

export interface BookingRuleViolation {
  rule: BookingRule;
  /** What is wrong and what to change, with local times of the site. */
  message: string;
}

const counted = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const minutesText = (minutes: number) => counted(minutes, 'minute');

/**
 * The first rule a booking window breaks, in this order: an ordered window, not in the past,
 * the duration limits, how far ahead, inside the opening hours (`null`: always open; the
 * whole window must lie in open time, ranges that meet across midnight count as one);
 * null when it breaks none.
 */
export function checkBookingRules(
  rules: BookingRules | null | undefined,
  openingHours: OpeningHours | null | undefined,
  window: TimeWindow,
  now: Date,
  timeZone: string,
): BookingRuleViolation | null {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const local = (ms: number) => `${localReadable(ms, timeZone)} (${timeZone})`;
  if (!(from < to)) return { rule: 'window', message: 'the booking must end after it starts: choose an end later than the start' };
  if (from < now.getTime()) return { rule: 'inPast', message: `the booking starts at ${local(from)}, which has passed: choose a start at ${local(now.getTime())} or later` };
  const minutes = (to - from) / MINUTE_MS;
  const { minDurationMinutes: min, maxDurationMinutes: max, maxAdvanceDays } = rules ?? {};
  if (min !== undefined && min !== null && minutes < min) {
    return { rule: 'minDuration', message: `the booking lasts ${minutesText(Math.round(minutes))}; book at least ${minutesText(min)}: end at ${local(from + min * MINUTE_MS)} or later` };
  }
  if (max !== undefined && max !== null && minutes > max) {
    return { rule: 'maxDuration', message: `the booking lasts ${minutesText(Math.round(minutes))}; book at most ${minutesText(max)}: end at ${local(from + max * MINUTE_MS)} or earlier` };
  }
  if (maxAdvanceDays !== undefined && maxAdvanceDays !== null) {
    const lastDay = addDays(localDateOf(now.getTime(), timeZone), maxAdvanceDays);
    if (localDateOf(from, timeZone) > lastDay) {
      return { rule: 'maxAdvance', message: `bookings open at most ${counted(maxAdvanceDays, 'day')} ahead: choose a start on ${lastDay} or earlier` };
    }
  }
  if (openingHours !== null && openingHours !== undefined) {
    const stretch = openStretches(openingHours, from, to, timeZone).find(([start, end]) => start <= from && from < end);
    if (!stretch) {
      const opens = nextOpening(openingHours, from, timeZone);
      return {
        rule: 'openingHours',
        message:
          opens === null
            ? `the site is closed at ${local(from)} and does not open within the following week: choose another time`
            : `the site is closed at ${local(from)}: choose a start at ${local(opens)} or later, when it opens`,
      };
    }
    if (stretch[1] < to) {
      return { rule: 'openingHours', message: `the site closes at ${local(stretch[1])}, before the booking ends: end it at ${local(stretch[1])} or earlier` };
    }
  }
  return null;
}
