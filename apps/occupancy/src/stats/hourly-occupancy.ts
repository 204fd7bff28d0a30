import type { HourOccupancy, OccupancyFigures, OccupancyStatsView } from '@parking/contracts';
import { HOUR_MS } from './site-clock';

/** A site's or zone's rolled-up hour. */
export interface HourRollup {
  hour: number;
  occupiedMs: number;
  observedMs: number;
  arrivals: number;
  departures: number;
}

/**
 * Spaces still in the state they entered at some instant (their spell is not in the rollups
 * yet), grouped by the hour of the window it began in: `bucket` counts hours from the window's
 * start, `sinceOffsetMs` sums how far into the window each spell began (0 if before it).
 */
export interface OpenSpells {
  bucket: number;
  occupied: boolean;
  spaces: number;
  sinceOffsetMs: number;
}

export function rateOf(occupiedMs: number, observedMs: number): number | null {
  return observedMs > 0 ? occupiedMs / observedMs : null;
}

export const secondsOf = (ms: number): number => Math.round(ms) / 1000;

/**
 * Every hour of [start, end) with the rollups plus the open spells up to `now`: a spell that
 * began before an hour fills it (up to now), one that began inside it fills the rest.
 */
export function hourlyOccupancy(start: number, end: number, now: number, rollups: readonly HourRollup[], open: readonly OpenSpells[]): Pick<OccupancyStatsView, 'hours' | 'totals'> {
  const byHour = new Map(rollups.map((r) => [r.hour, r]));
  const hourCount = Math.round((end - start) / HOUR_MS);
  // Per bucket and kind (0: observed, 1: occupied): spells starting there, and their offsets.
  const starting = Array.from({ length: hourCount }, () => ({ spaces: [0, 0], offsets: [0, 0] }));
  for (const spell of open) {
    const slot = starting[spell.bucket];
    if (!slot) continue;
    for (const kind of spell.occupied ? [0, 1] : [0]) {
      slot.spaces[kind] += spell.spaces;
      slot.offsets[kind] += spell.sinceOffsetMs;
    }
  }
  const running = [0, 0];
  const hours: HourOccupancy[] = [];
  const totalMs = [0, 0];
  let arrivals = 0;
  let departures = 0;
  let peak: { hour: string; rate: number } | null = null;
  for (let i = 0; i < hourCount; i++) {
    const hourStart = i * HOUR_MS;
    const hourEnd = Math.min(hourStart + HOUR_MS, now - start);
    const ms = [0, 1].map((kind) => {
      if (hourEnd <= hourStart) return 0;
      const before = running[kind] * (hourEnd - hourStart);
      const inside = starting[i].spaces[kind] * hourEnd - starting[i].offsets[kind];
      return before + Math.max(0, inside);
    });
    running[0] += starting[i].spaces[0];
    running[1] += starting[i].spaces[1];
    const rolled = byHour.get(start + hourStart);
    const observedMs = ms[0] + (rolled?.observedMs ?? 0);
    const occupiedMs = ms[1] + (rolled?.occupiedMs ?? 0);
    const hour = new Date(start + hourStart).toISOString();
    const rate = rateOf(occupiedMs, observedMs);
    if (rate !== null && (peak === null || rate > peak.rate)) peak = { hour, rate };
    hours.push({
      hour,
      occupiedSeconds: secondsOf(occupiedMs),
      observedSeconds: secondsOf(observedMs),
      occupancyRate: rate,
      arrivals: rolled?.arrivals ?? 0,
      departures: rolled?.departures ?? 0,
    });
    totalMs[0] += observedMs;
    totalMs[1] += occupiedMs;
    arrivals += rolled?.arrivals ?? 0;
    departures += rolled?.departures ?? 0;
  }
  const totals: OccupancyFigures = {
    occupiedSeconds: secondsOf(totalMs[1]),
    observedSeconds: secondsOf(totalMs[0]),
    occupancyRate: rateOf(totalMs[1], totalMs[0]),
    arrivals,
    departures,
  };
  return { hours, totals: { ...totals, peakHour: peak?.hour ?? null, peakOccupancyRate: peak?.rate ?? null } };
}
