import { addDays, DAY_MS, instantOfWall, localDateOf, parseClock, weekdayOf, type Weekday } from './wall-clock';

/**
 * A site's opening hours, as occupancy keeps them: per weekday a list of `HH:MM-HH:MM` local
 * ranges (start before end, end up to 24:00); a missing day is closed. `null` (always open)
 * is the caller's to handle.
 */
export type OpeningHours = Partial<Record<Weekday, readonly string[]>>;

/**
 * The open stretches that touch [from, to), as instants [start, end), ranges that meet merged:
 * `22:00-24:00` on one day and `00:00-06:00` on the next are one stretch.
 */
export function openStretches(hours: OpeningHours, from: number, to: number, timeZone: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const last = addDays(localDateOf(to, timeZone), 1);
  for (let date = addDays(localDateOf(from, timeZone), -1); date <= last; date = addDays(date, 1)) {
    for (const range of hours[weekdayOf(date)] ?? []) {
      const [start, end] = range.split('-').map(parseClock);
      const startMs = instantOfWall(date, start, timeZone);
      const endMs = instantOfWall(date, end, timeZone);
      if (startMs < endMs && endMs > from && startMs < to) ranges.push([startMs, endMs]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && range[0] <= previous[1]) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** When the site next opens at or after `from`, looking a week ahead; null: not within a week. */
export function nextOpening(hours: OpeningHours, from: number, timeZone: string): number | null {
  const stretch = openStretches(hours, from, from + 8 * DAY_MS, timeZone).find(([, end]) => end > from);
  return stretch ? Math.max(stretch[0], from) : null;
}
