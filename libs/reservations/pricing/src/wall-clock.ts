/**
 * The wall clock of a site's IANA time zone, from Intl alone. Instants are epoch milliseconds;
 * local days are `YYYY-MM-DD`; times of day are minutes after midnight (1440 = the next midnight).
 *
 * A local time stands for the first instant the site's clock shows it, or a later time when a
 * spring-forward skips it: 02:30 on a day whose clock jumps from 02:00 to 03:00 is the instant
 * of the jump; on a fall-back day the repeated hour's first pass is meant. Everything built on
 * local times (bands, days, opening hours) follows from that one rule.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for a zone Intl does not know.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface WallTime {
  /** The local calendar day, `YYYY-MM-DD`. */
  date: string;
  /** Minutes after local midnight, 0 to 1439. */
  minute: number;
  second: number;
  /** Local time minus UTC, in ms. */
  offsetMs: number;
}

/** What the site's clock shows at `ms`. */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) parts[part.type] = Number(part.value);
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  const wallMs = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return {
    date: new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).toISOString().slice(0, 10),
    minute: parts.hour * 60 + parts.minute,
    second: parts.second,
    offsetMs: wallMs - wholeSecond,
  };
}

const offsetAt = (ms: number, timeZone: string) => wallTimeAt(ms, timeZone).offsetMs;

export const localDateOf = (ms: number, timeZone: string): string => wallTimeAt(ms, timeZone).date;

/** `date` moved by whole calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  // 1970-01-01 was a Thursday (index 3 from Monday).
  const daysSinceEpoch = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
  return WEEKDAYS[(((daysSinceEpoch + 3) % 7) + 7) % 7];
}

/**
 * The first instant at which the site's clock shows `date` at `minute` (0 to 1440) or later.
 * Assumes at most one offset change within a day of it, as every zone in use has.
 */
export function instantOfWall(date: string, minute: number, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minute * MINUTE_MS;
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const shown = [wall - before, wall - after].filter((ms) => offsetAt(ms, timeZone) === wall - ms);
  if (shown.length > 0) return Math.min(...shown);
  // Skipped by a spring-forward: the answer is the instant of the jump, between the instant
  // the old offset would give and the one the new offset would give.
  let early = Math.min(wall - before, wall - after);
  let late = Math.max(wall - before, wall - after);
  const lateOffset = offsetAt(late, timeZone);
  while (late - early > 1) {
    const middle = Math.floor((early + late) / 2);
    if (offsetAt(middle, timeZone) === lateOffset) late = middle;
    else early = middle;
  }
  return late;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `HH:MM` of minutes after midnight. */
export const clockText = (minute: number) => `${two(Math.floor(minute / 60))}:${two(minute % 60)}`;

/** RFC 3339 with the site's offset, to the second: `2026-03-29T03:00:00+02:00`. */
export function localTimestamp(ms: number, timeZone: string): string {
  const wall = wallTimeAt(ms, timeZone);
  const offsetMinutes = Math.round(wall.offsetMs / MINUTE_MS);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return `${wall.date}T${clockText(wall.minute)}:${two(wall.second)}${sign}${clockText(absolute)}`;
}

/** `2026-03-29 03:00`, for messages to people. */
export function localReadable(ms: number, timeZone: string): string {
  const wall = wallTimeAt(ms, timeZone);
  return `${wall.date} ${clockText(wall.minute)}`;
}

/** `HH:MM` (or `24:00`) as minutes after midnight; throws on anything else. */
export function parseClock(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const minute = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || !(minute <= 1440)) throw new RangeError(`${JSON.stringify(text)} is not a time of day HH:MM`);
  return minute;
}

/** `HH:MM-HH:MM` as minutes after midnight; `end` may be 1440 or (past midnight) before `start`. */
export function parseClockRange(text: string): { start: number; end: number } {
  const [start, end, extra] = text.split('-');
  if (start === undefined || end === undefined || extra !== undefined) throw new RangeError(`${JSON.stringify(text)} is not a time range HH:MM-HH:MM`);
  const range = { start: parseClock(start), end: parseClock(end) };
  if (range.start === 1440 || range.start === range.end) throw new RangeError(`${JSON.stringify(text)} is not a time range HH:MM-HH:MM`);
  return range;
}
