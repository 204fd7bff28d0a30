/**
 * Local hours and days of a site's time zone, from instants in ms. Statistics buckets are
 * local hours (so they group into local days exactly, half-hour zones included); DST only
 * makes a local day 23 or 25 hours long.
 */
export const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offset of a zone's wall clock from UTC per UTC hour (null: it changes inside that hour). */
const offsets = new Map<string, number | null>();
const OFFSETS_KEPT = 100_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
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

/** Wall clock minus UTC at `ms`, to the second (what Intl knows of the zone). */
function offsetAt(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The offset at `ms`. Intl is slow next to the rest of the hot path, so the offset is kept per
 * UTC hour; an hour in which the zone's offset changes is asked of Intl every time.
 */
function offsetOf(ms: number, timeZone: string): number {
  const utcHour = Math.floor(ms / HOUR_MS);
  const key = `${timeZone}|${utcHour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const atStart = offsetAt(utcHour * HOUR_MS, timeZone);
    offset = atStart === offsetAt(utcHour * HOUR_MS + HOUR_MS - 1, timeZone) ? atStart : null;
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offsets.set(key, offset);
  }
  return offset ?? offsetAt(ms, timeZone);
}

/** The start of the local hour holding `ms`. */
export function localHourStart(ms: number, timeZone: string): number {
  const wall = ms + offsetOf(ms, timeZone);
  return ms - (((wall % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

/** The local calendar day holding `ms`, as YYYY-MM-DD. */
export function localDate(ms: number, timeZone: string): string {
  return new Date(ms + offsetOf(ms, timeZone)).toISOString().slice(0, 10);
}

/** Every calendar day from `first` to `last` (YYYY-MM-DD), both included. */
export function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`), end = Date.parse(`${last}T00:00:00Z`); t <= end; t += 24 * HOUR_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** A span [start, end) cut at local hour boundaries: each piece lies in one local hour and day. */
export interface HourPiece {
  hour: number;
  day: string;
  ms: number;
}

export function hourPieces(start: number, end: number, timeZone: string): HourPiece[] {
  const pieces: HourPiece[] = [];
  for (let t = start; t < end; ) {
    const hour = localHourStart(t, timeZone);
    const next = Math.min(end, hour + HOUR_MS);
    pieces.push({ hour, day: localDate(hour, timeZone), ms: next - t });
    t = next;
  }
  return pieces;
}
