import type { SiteRef, SpaceRef, ZoneRef } from './occupancy-rpc';

/**
 * Occupancy statistics over time, over NATS request/reply like OCCUPANCY_RPC. Site and zone
 * statistics need `sites:read`, a space's `spaces:read`; another tenant's id is 404. They read
 * rollups kept as transitions are stored, plus the spells still open in the live state.
 */
export const OCCUPANCY_STATS_RPC = {
  siteOccupancy: 'rpc.occupancy.v1.sites.stats.occupancy',
  zoneOccupancy: 'rpc.occupancy.v1.zones.stats.occupancy',
  siteDwell: 'rpc.occupancy.v1.sites.stats.dwell',
  siteTurnover: 'rpc.occupancy.v1.sites.stats.turnover',
  spaceTurnover: 'rpc.occupancy.v1.spaces.stats.turnover',
} as const;

export type OccupancyStatsRpcSubject = (typeof OCCUPANCY_STATS_RPC)[keyof typeof OCCUPANCY_STATS_RPC];

/** Longest range one statistics request may cover. */
export const STATS_RANGE_MAX_DAYS = 92;
/** Range without `from`: the hourly statistics look back a day, the daily ones a week. */
export const STATS_HOURLY_DEFAULT_HOURS = 24;
export const STATS_DAILY_DEFAULT_DAYS = 7;

/**
 * `from` (inclusive) and `to` (exclusive) are RFC 3339 instants; `to` defaults to now and
 * `from` to the default range before `to`. Hourly answers cover every local hour of the site
 * that overlaps the range, daily answers every local day.
 */
export interface StatsRange {
  from?: string;
  to?: string;
}

export type SiteOccupancyStatsRequest = SiteRef & StatsRange & { zoneId?: string };
export type ZoneOccupancyStatsRequest = ZoneRef & StatsRange;
export type SiteDwellStatsRequest = SiteRef & StatsRange & { zoneId?: string };
export type SiteTurnoverStatsRequest = SiteRef & StatsRange;
export type SpaceTurnoverStatsRequest = SpaceRef & StatsRange;

/** Space-seconds: one space for one second. */
export interface OccupancyFigures {
  /** Space-seconds occupied. */
  occupiedSeconds: number;
  /** Space-seconds free, occupied or reserved (unknown and maintenance are left out). */
  observedSeconds: number;
  /** occupiedSeconds / observedSeconds; null when nothing was observed. */
  occupancyRate: number | null;
  /** Changes into occupied. */
  arrivals: number;
  /** Changes out of occupied. */
  departures: number;
}

export interface HourOccupancy extends OccupancyFigures {
  /** Start of the site's local hour, RFC 3339 (UTC). */
  hour: string;
}

export interface OccupancyStatsView {
  siteId: string;
  /** The zone (with its nested zones) counted, or null for the whole site. */
  zoneId: string | null;
  timeZone: string;
  /** The hours answered: from the start of the first to the end of the last. */
  from: string;
  to: string;
  hours: HourOccupancy[];
  totals: OccupancyFigures & { peakHour: string | null; peakOccupancyRate: number | null };
}

/** Finished stays (uninterrupted occupied spells) by length. */
export interface DwellHistogram {
  under15m: number;
  from15mTo1h: number;
  from1hTo4h: number;
  over4h: number;
}

export interface DwellFigures {
  stays: number;
  /** Mean length of the stays in seconds; null without stays. */
  meanSeconds: number | null;
  histogram: DwellHistogram;
}

export interface DayDwell extends DwellFigures {
  /** Local day of the site (YYYY-MM-DD) in which the stays ended. */
  day: string;
}

export interface DwellStatsView {
  siteId: string;
  zoneId: string | null;
  timeZone: string;
  days: DayDwell[];
  totals: DwellFigures;
}

export interface DayTurnover {
  day: string;
  arrivals: number;
  /** Arrivals per space: the site's average turnover that day. */
  turnover: number | null;
}

export interface SiteTurnoverStatsView {
  siteId: string;
  timeZone: string;
  /** Spaces the site has now, the divisor of `turnover`. */
  spaces: number;
  days: DayTurnover[];
  totals: { arrivals: number; meanDailyTurnover: number | null };
}

export interface SpaceDayStats {
  day: string;
  arrivals: number;
  occupiedSeconds: number;
  /** occupied / (free + occupied + reserved) time of the space that day; null when unobserved. */
  occupancyRate: number | null;
  stays: number;
  meanDwellSeconds: number | null;
}

export interface SpaceTurnoverStatsView {
  spaceId: string;
  siteId: string;
  timeZone: string;
  days: SpaceDayStats[];
  totals: { arrivals: number; occupiedSeconds: number; meanDailyTurnover: number | null };
}
