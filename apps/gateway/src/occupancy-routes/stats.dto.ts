import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';
import {
  STATS_RANGE_MAX_DAYS,
  type DayDwell,
  type DayTurnover,
  type DwellHistogram,
  type DwellStatsView,
  type HourOccupancy,
  type OccupancyFigures,
  type OccupancyStatsView,
  type SiteTurnoverStatsView,
  type SpaceDayStats,
  type SpaceTurnoverStatsView,
  type StatsRange,
} from '@parking/contracts';
import { IsAnyUuid, UUID_EXAMPLE } from './dto/occupancy-fields';

const RANGE = `at most ${STATS_RANGE_MAX_DAYS} days after from (a longer range is a 400 that says so)`;

export class StatsRangeQuery implements StatsRange {
  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-01T00:00:00Z', description: 'Start (inclusive); by default the range before `to`' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'from must be an RFC 3339 date-time, e.g. 2026-12-01T00:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-12-02T00:00:00Z', description: `End (exclusive), now by default; ${RANGE}` })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'to must be an RFC 3339 date-time, e.g. 2026-12-02T00:00:00Z' })
  to?: string;
}

export class SiteStatsQuery extends StatsRangeQuery {
  @ApiPropertyOptional({ format: 'uuid', example: UUID_EXAMPLE, description: 'Count only this zone of the site, with its nested zones' })
  @IsOptional()
  @IsAnyUuid('zoneId')
  zoneId?: string;
}

class OccupancyFiguresDto implements OccupancyFigures {
  @ApiProperty({ example: 412_200.5, description: 'Space-seconds occupied' }) occupiedSeconds!: number;
  @ApiProperty({ example: 648_000, description: 'Space-seconds free, occupied or reserved (unknown and maintenance are left out)' }) observedSeconds!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 0.636, description: 'occupiedSeconds / observedSeconds; null when nothing was observed' })
  occupancyRate!: number | null;
  @ApiProperty({ example: 95, description: 'Changes into occupied' }) arrivals!: number;
  @ApiProperty({ example: 91, description: 'Changes out of occupied' }) departures!: number;
}

export class HourOccupancyDto extends OccupancyFiguresDto implements HourOccupancy {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T08:00:00.000Z', description: "Start of the site's local hour" }) hour!: string;
}

export class OccupancyTotalsDto extends OccupancyFiguresDto {
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-01T17:00:00.000Z', description: 'The hour with the highest rate' })
  peakHour!: string | null;
  @ApiProperty({ type: 'number', nullable: true, example: 0.93 }) peakOccupancyRate!: number | null;
}

export class OccupancyStatsDto implements OccupancyStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null, description: 'The zone counted (with its nested zones); null for the whole site' })
  zoneId!: string | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z', description: 'Start of the first hour answered' }) from!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T00:00:00.000Z', description: 'End of the last hour answered' }) to!: string;
  @ApiProperty({ type: HourOccupancyDto, isArray: true, description: 'Every hour of the range, the current one up to now' }) hours!: HourOccupancyDto[];
  @ApiProperty({ type: OccupancyTotalsDto }) totals!: OccupancyTotalsDto;
}

class DwellHistogramDto implements DwellHistogram {
  @ApiProperty({ example: 12 }) under15m!: number;
  @ApiProperty({ example: 30 }) from15mTo1h!: number;
  @ApiProperty({ example: 41 }) from1hTo4h!: number;
  @ApiProperty({ example: 8 }) over4h!: number;
}

class DwellFiguresDto {
  @ApiProperty({ example: 91, description: 'Stays (uninterrupted occupied spells) that ended' }) stays!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 5_412.3, description: 'Mean length of the stays in seconds' }) meanSeconds!: number | null;
  @ApiProperty({ type: DwellHistogramDto }) histogram!: DwellHistogramDto;
}

export class DayDwellDto extends DwellFiguresDto implements DayDwell {
  @ApiProperty({ example: '2026-12-01', description: 'Local day of the site in which the stays ended' }) day!: string;
}

export class DwellStatsDto implements DwellStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) zoneId!: string | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ type: DayDwellDto, isArray: true }) days!: DayDwellDto[];
  @ApiProperty({ type: DwellFiguresDto }) totals!: DwellFiguresDto;
}

export class DayTurnoverDto implements DayTurnover {
  @ApiProperty({ example: '2026-12-01' }) day!: string;
  @ApiProperty({ example: 412 }) arrivals!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 2.06, description: 'Arrivals per space that day' }) turnover!: number | null;
}

class SiteTurnoverTotalsDto {
  @ApiProperty({ example: 2_884 }) arrivals!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 2.06 }) meanDailyTurnover!: number | null;
}

export class SiteTurnoverStatsDto implements SiteTurnoverStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ example: 200, description: 'Spaces the site has now, the divisor of turnover' }) spaces!: number;
  @ApiProperty({ type: DayTurnoverDto, isArray: true }) days!: DayTurnoverDto[];
  @ApiProperty({ type: SiteTurnoverTotalsDto }) totals!: SiteTurnoverTotalsDto;
}

export class SpaceDayStatsDto implements SpaceDayStats {
  @ApiProperty({ example: '2026-12-01' }) day!: string;
  @ApiProperty({ example: 3 }) arrivals!: number;
  @ApiProperty({ example: 30_600 }) occupiedSeconds!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 0.35 }) occupancyRate!: number | null;
  @ApiProperty({ example: 3 }) stays!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 10_200 }) meanDwellSeconds!: number | null;
}

class SpaceTurnoverTotalsDto {
  @ApiProperty({ example: 19 }) arrivals!: number;
  @ApiProperty({ example: 201_600 }) occupiedSeconds!: number;
  @ApiProperty({ type: 'number', nullable: true, example: 2.71 }) meanDailyTurnover!: number | null;
}

export class SpaceTurnoverStatsDto implements SpaceTurnoverStatsView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) spaceId!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ type: SpaceDayStatsDto, isArray: true }) days!: SpaceDayStatsDto[];
  @ApiProperty({ type: SpaceTurnoverTotalsDto }) totals!: SpaceTurnoverTotalsDto;
}
