import type { SpaceState } from '@parking/contracts';
import { hourPieces } from './site-clock';

/** zone_key of the rows that count a whole site. */
export const WHOLE_SITE = '00000000-0000-0000-0000-000000000000';

/** States in which a space's use is known: the denominator of the occupancy rate. */
export const OBSERVED_STATES: readonly SpaceState[] = ['free', 'occupied', 'reserved'];

/** Upper bounds (exclusive) of the dwell histogram's buckets; the last one is open. */
export const DWELL_BUCKET_LIMITS_MS = [15 * 60_000, 60 * 60_000, 4 * 60 * 60_000] as const;

/** One change of a space's state, with when the state it left began. */
export interface StatsTransition {
  tenantId: string;
  spaceId: string;
  siteId: string;
  /** The space's zone and its ancestors; empty outside any zone. */
  zonePath: readonly string[];
  timeZone: string;
  from: SpaceState;
  to: SpaceState;
  /** When the space entered `from`. */
  since: Date;
  at: Date;
}

interface Counters {
  occupiedMs: number;
  observedMs: number;
  arrivals: number;
  departures: number;
  dwellMsSum: number;
  dwellCount: number;
  dwellBuckets: [number, number, number, number];
}

export interface ZoneHourRow extends Counters {
  tenantId: string;
  siteId: string;
  zoneKey: string;
  hour: number;
}

export interface SpaceDayRow extends Counters {
  tenantId: string;
  spaceId: string;
  day: string;
}

export interface Rollup {
  zoneHours: ZoneHourRow[];
  spaceDays: SpaceDayRow[];
}

function empty(): Counters {
  return { occupiedMs: 0, observedMs: 0, arrivals: 0, departures: 0, dwellMsSum: 0, dwellCount: 0, dwellBuckets: [0, 0, 0, 0] };
}

export function dwellBucket(ms: number): number {
  const index = DWELL_BUCKET_LIMITS_MS.findIndex((limit) => ms < limit);
  return index === -1 ? DWELL_BUCKET_LIMITS_MS.length : index;
}

type Change = (counters: Counters) => void;

/**
 * Sums a transaction's changes of state into rollup rows, one per (site or zone, hour) and per
 * (space, day). Rows come sorted by key, so concurrent writers lock them in the same order.
 * The time spent in `from` is split over the local hours and days it spanned; arrivals,
 * departures and the finished stay count in the hour and day of the change.
 */
export function rollUp(transitions: readonly StatsTransition[]): Rollup {
  const zoneHours = new Map<string, ZoneHourRow>();
  const spaceDays = new Map<string, SpaceDayRow>();
  for (const t of transitions) {
    const zoneKeys = [WHOLE_SITE, ...t.zonePath];
    const addHour = (hour: number, change: Change) => {
      for (const zoneKey of zoneKeys) {
        const key = `${t.tenantId}|${t.siteId}|${zoneKey}|${hour}`;
        let row = zoneHours.get(key);
        if (!row) zoneHours.set(key, (row = { tenantId: t.tenantId, siteId: t.siteId, zoneKey, hour, ...empty() }));
        change(row);
      }
    };
    const addDay = (day: string, change: Change) => {
      const key = `${t.tenantId}|${t.spaceId}|${day}`;
      let row = spaceDays.get(key);
      if (!row) spaceDays.set(key, (row = { tenantId: t.tenantId, spaceId: t.spaceId, day, ...empty() }));
      change(row);
    };
    const start = t.since.getTime();
    // A clock behind the previous change's gives an empty spell, never a negative one.
    const end = Math.max(start, t.at.getTime());
    const occupied = t.from === 'occupied';
    if (OBSERVED_STATES.includes(t.from)) {
      for (const piece of hourPieces(start, end, t.timeZone)) {
        const credit: Change = (c) => {
          c.observedMs += piece.ms;
          if (occupied) c.occupiedMs += piece.ms;
        };
        addHour(piece.hour, credit);
        addDay(piece.day, credit);
      }
    }
    const [changed] = hourPieces(end, end + 1, t.timeZone);
    const event: Change = (c) => {
      if (t.to === 'occupied') c.arrivals++;
      if (occupied) {
        c.departures++;
        c.dwellCount++;
        c.dwellMsSum += end - start;
        c.dwellBuckets[dwellBucket(end - start)]++;
      }
    };
    if (t.to === 'occupied' || occupied) {
      addHour(changed.hour, event);
      addDay(changed.day, event);
    }
  }
  return {
    zoneHours: [...zoneHours.values()].sort((a, b) => order(a.tenantId, b.tenantId) || order(a.siteId, b.siteId) || order(a.zoneKey, b.zoneKey) || a.hour - b.hour),
    spaceDays: [...spaceDays.values()].sort((a, b) => order(a.tenantId, b.tenantId) || order(a.spaceId, b.spaceId) || order(a.day, b.day)),
  };
}

/** Code-unit order, the same in every process whatever its locale. */
function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
