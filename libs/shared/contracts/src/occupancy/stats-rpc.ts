import { ApiProperty } from '@nestjs/swagger';
import { UUID_EXAMPLE, UuidField } from '../fields/identifiers';
import { InstantField, RangeEndField } from '../fields/time-range';
import { defineRpc } from '../rpc-contract';

/** Longest range one statistics request may cover. */
export const STATS_RANGE_MAX_DAYS = 92;
/** Range without `from`: the hourly statistics look back a day, the daily ones a week. */
export const STATS_HOURLY_DEFAULT_HOURS = 24;
export const STATS_DAILY_DEFAULT_DAYS = 7;

const RANGE = `at most ${STATS_RANGE_MAX_DAYS} days after from (a longer range is a 400 that says so)`;

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

/**
 * `from` (inclusive) and `to` (exclusive) are RFC 3339 instants; `to` defaults to now and
 * `from` to the default range before `to`, at most STATS_RANGE_MAX_DAYS apart. Hourly answers
 * cover every local hour of the site that overlaps the range, daily answers every local day.
 */
export class StatsRangeQuery {
  @InstantField({ example: '2026-12-01T00:00:00Z', description: 'Start (inclusive); by default the range before `to`' }) from?: string;
  @RangeEndField({ maxDays: STATS_RANGE_MAX_DAYS }, { example: '2026-12-02T00:00:00Z', description: `End (exclusive), now by default; ${RANGE}` }) to?: string;
}

/** A site's statistics, or one of its zones' (with its nested zones). */
export class SiteStatsQuery extends StatsRangeQuery {
  @UuidField({ presence: 'optional', doc: { description: 'Count only this zone of the site, with its nested zones' } }) zoneId?: string;
}

export class SiteOccupancyStatsRequest extends SiteStatsQuery {
  @UuidField() siteId!: string;
}
export class ZoneOccupancyStatsRequest extends StatsRangeQuery {
  @UuidField() zoneId!: string;
}
export class SiteDwellStatsRequest extends SiteStatsQuery {
  @UuidField() siteId!: string;
}
export class SiteTurnoverStatsRequest extends StatsRangeQuery {
  @UuidField() siteId!: string;
}
export class SpaceTurnoverStatsRequest extends StatsRangeQuery {
  @UuidField() spaceId!: string;
}

// ---------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------

/** Space-seconds: one space for one second. */
export class OccupancyFigures {
  @ApiProperty({ example: 412_200.5, description: 'Space-seconds occupied' }) occupiedSeconds!: number;
  @ApiProperty({ example: 648_000, description: 'Space-seconds free, occupied or reserved (unknown and maintenance are left out)' }) observedSeconds!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 0.636, description: 'occupiedSeconds / observedSeconds; null when nothing was observed' })
  occupancyRate!: number | null;
  @ApiProperty({ example: 95, description: 'Changes into occupied' }) arrivals!: number;
  @ApiProperty({ example: 91, description: 'Changes out of occupied' }) departures!: number;
}

export class HourOccupancy extends OccupancyFigures {
  /** Start of the site's local hour, RFC 3339 (UTC). */
  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z', description: "Start of the site's local hour" }) hour!: string;
}

export class OccupancyTotals extends OccupancyFigures {
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-01T17:00:00.000Z', description: 'The hour with the highest rate' })
  peakHour!: string | null;
  @ApiProperty({ type: 'number', nullable: true, example: 0.93 }) peakOccupancyRate!: number | null;
}

export class OccupancyStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  /** The zone (with its nested zones) counted, or null for the whole site. */
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null, description: 'The zone counted (with its nested zones); null for the whole site' })
  zoneId!: string | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  /** The hours answered: from the start of the first to the end of the last. */
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z', description: 'Start of the first hour answered' }) from!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T00:00:00.000Z', description: 'End of the last hour answered' }) to!: string;
  @ApiProperty({ type: HourOccupancy, isArray: true, description: 'Every hour of the range, the current one up to now' }) hours!: HourOccupancy[];
  @ApiProperty({ type: OccupancyTotals }) totals!: OccupancyTotals;
}

/** Finished stays (uninterrupted occupied spells) by length. */
export class DwellHistogram {
  @ApiProperty({ example: 12 }) under15m!: number;
  @ApiProperty({ example: 30 }) from15mTo1h!: number;
  @ApiProperty({ example: 41 }) from1hTo4h!: number;
  @ApiProperty({ example: 8 }) over4h!: number;
}

export class DwellFigures {
  @ApiProperty({ example: 91, description: 'Stays (uninterrupted occupied spells) that ended' }) stays!: number;
  /** Mean length of the stays in seconds; null without stays. */
  @ApiProperty({ type: 'number', nullable: true, example: 5_412.3, description: 'Mean length of the stays in seconds' }) meanSeconds!: number | null;
  @ApiProperty({ type: DwellHistogram }) histogram!: DwellHistogram;
}

export class DayDwell extends DwellFigures {
  /** Local day of the site (YYYY-MM-DD) in which the stays ended. */
  @ApiProperty({ example: '2026-12-01', description: 'Local day of the site in which the stays ended' }) day!: string;
}

export class DwellStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) zoneId!: string | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ type: DayDwell, isArray: true }) days!: DayDwell[];
  @ApiProperty({ type: DwellFigures }) totals!: DwellFigures;
}

export class DayTurnover {
  @ApiProperty({ example: '2026-12-01' }) day!: string;
  @ApiProperty({ example: 412 }) arrivals!: number;
  /** Arrivals per space: the site's average turnover that day. */
  @ApiProperty({ type: 'number', nullable: true, example: 2.06, description: 'Arrivals per space that day' }) turnover!: number | null;
}

export class SiteTurnoverTotals {
  @ApiProperty({ example: 2_884 }) arrivals!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 2.06 }) meanDailyTurnover!: number | null;
}

export class SiteTurnoverStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  /** Spaces the site has now, the divisor of `turnover`. */
  @ApiProperty({ example: 200, description: 'Spaces the site has now, the divisor of turnover' }) spaces!: number;
  @ApiProperty({ type: DayTurnover, isArray: true }) days!: DayTurnover[];
  @ApiProperty({ type: SiteTurnoverTotals }) totals!: SiteTurnoverTotals;
}

export class SpaceDayStats {
  @ApiProperty({ example: '2026-12-01' }) day!: string;
  @ApiProperty({ example: 3 }) arrivals!: number;
  @ApiProperty({ example: 30_600 }) occupiedSeconds!: number;
  /** occupied / (free + occupied + reserved) time of the space that day; null when unobserved. */
  @ApiProperty({ type: 'number', nullable: true, example: 0.35 }) occupancyRate!: number | null;
  @ApiProperty({ example: 3 }) stays!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 10_200 }) meanDwellSeconds!: number | null;
}

export class SpaceTurnoverTotals {
  @ApiProperty({ example: 19 }) arrivals!: number;
  @ApiProperty({ example: 201_600 }) occupiedSeconds!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 2.71 }) meanDailyTurnover!: number | null;
}

export class SpaceTurnoverStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) spaceId!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ type: SpaceDayStats, isArray: true }) days!: SpaceDayStats[];
  @ApiProperty({ type: SpaceTurnoverTotals }) totals!: SpaceTurnoverTotals;
}

/**
 * Occupancy statistics over time, over NATS request/reply like OCCUPANCY_RPC. Site and zone
 * statistics need `sites:read`, a space's `spaces:read`; another tenant's id is 404. They read
 * rollups kept as transitions are stored, plus the spells still open in the live state.
 */
export const OCCUPANCY_STATS_RPC = {
  siteOccupancy: defineRpc('rpc.occupancy.v1.sites.stats.occupancy', SiteOccupancyStatsRequest, OccupancyStatsView),
  zoneOccupancy: defineRpc('rpc.occupancy.v1.zones.stats.occupancy', ZoneOccupancyStatsRequest, OccupancyStatsView),
  siteDwell: defineRpc('rpc.occupancy.v1.sites.stats.dwell', SiteDwellStatsRequest, DwellStatsView),
  siteTurnover: defineRpc('rpc.occupancy.v1.sites.stats.turnover', SiteTurnoverStatsRequest, SiteTurnoverStatsView),
  spaceTurnover: defineRpc('rpc.occupancy.v1.spaces.stats.turnover', SpaceTurnoverStatsRequest, SpaceTurnoverStatsView),
} as const;
