import type { CompiledBand, CompiledTariff } from './tariff';
import { addDays, instantOfWall, localDateOf, weekdayOf } from './wall-clock';

/**
 * A window cut into the pieces that are priced one by one. A segment is a stretch of one band
 * (or of free time) within one day of the stay; a day runs from the tariff's `dayStartsAt` on
 * one local date to the same time on the next. Instants are epoch ms, segments are [start, end).
 */
export interface Segment {
  start: number;
  end: number;
  /** null: no band covers this time, so it is free. */
  band: CompiledBand | null;
  /** The local date on which the day of the stay started. */
  day: string;
}

export interface StayDay {
  day: string;
  /** The day clipped to the window. */
  start: number;
  end: number;
}

interface Occurrence {
  start: number;
  end: number;
  band: CompiledBand;
}

/** Each band's occurrences that touch [from, to), clipped to it, in order of start. */
function occurrences(bands: CompiledBand[], from: number, to: number, timeZone: string): Occurrence[] {
  const found: Occurrence[] = [];
  // A band starting the day before may run past midnight into the window; a day either side
  // more keeps clear of any doubt about which date an instant near a change of offset has.
  const last = addDays(localDateOf(to, timeZone), 1);
  for (let date = addDays(localDateOf(from, timeZone), -2); date <= last; date = addDays(date, 1)) {
    const weekday = weekdayOf(date);
    for (const band of bands) {
      if (!band.weekdays.has(weekday)) continue;
      const start = Math.max(from, instantOfWall(date, band.start, timeZone));
      const end = Math.min(to, band.end <= 1440 ? instantOfWall(date, band.end, timeZone) : instantOfWall(addDays(date, 1), band.end - 1440, timeZone));
      if (start < end) found.push({ start, end, band });
    }
  }
  return found.sort((a, b) => a.start - b.start || a.band.index - b.band.index);
}

/** [from, to) as band and free stretches, back to back. */
function stretches(bands: CompiledBand[], from: number, to: number, timeZone: string): Array<Omit<Segment, 'day'>> {
  const result: Array<Omit<Segment, 'day'>> = [];
  let cursor = from;
  for (const occurrence of occurrences(bands, from, to, timeZone)) {
    if (occurrence.end <= cursor) continue;
    if (occurrence.start > cursor) result.push({ start: cursor, end: occurrence.start, band: null });
    const previous = result[result.length - 1];
    // The same band on consecutive days (00:00-24:00 daily) is one stretch: only a new day of
    // the stay, never midnight as such, restarts its increments.
    if (previous?.band === occurrence.band && previous.end === occurrence.start) previous.end = occurrence.end;
    else result.push({ start: Math.max(cursor, occurrence.start), end: occurrence.end, band: occurrence.band });
    cursor = occurrence.end;
  }
  if (cursor < to) result.push({ start: cursor, end: to, band: null });
  return result;
}

/** When the day of the stay that starts on local `date` begins. */
const dayStart = (date: string, tariff: CompiledTariff, timeZone: string) => instantOfWall(date, tariff.dayStartsAt, timeZone);

/** The days of the stay that [from, to) touches, each clipped to it. */
export function stayDays(tariff: CompiledTariff, from: number, to: number, timeZone: string): StayDay[] {
  let day = localDateOf(from, timeZone);
  while (from < dayStart(day, tariff, timeZone)) day = addDays(day, -1);
  while (from >= dayStart(addDays(day, 1), tariff, timeZone)) day = addDays(day, 1);
  const days: StayDay[] = [];
  for (let start = from; start < to; ) {
    const next = addDays(day, 1);
    const end = Math.min(to, dayStart(next, tariff, timeZone));
    days.push({ day, start, end });
    start = end;
    day = next;
  }
  return days;
}

/** [from, to) cut into segments: by band occurrence and free time, and by day of the stay. */
export function segmentsOf(tariff: CompiledTariff, from: number, to: number, timeZone: string): { days: StayDay[]; segments: Segment[] } {
  const days = stayDays(tariff, from, to, timeZone);
  const segments: Segment[] = [];
  let d = 0;
  for (const stretch of stretches(tariff.bands, from, to, timeZone)) {
    for (let start = stretch.start; start < stretch.end; ) {
      while (days[d].end <= start) d++;
      const end = Math.min(stretch.end, days[d].end);
      segments.push({ start, end, band: stretch.band, day: days[d].day });
      start = end;
    }
  }
  return { days, segments };
}
