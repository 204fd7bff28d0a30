import { ApiProperty } from '@nestjs/swagger';
import { UUID_EXAMPLE, UuidField } from '../fields/identifiers';

/**
 * The previous platform's occupancy statistics (GET /api/v6/spaces/stats/occupancy), kept for
 * its clients. The gateway answers them from each site's live availability counts.
 */

export class LegacyOccupancyStatsQuery {
  @UuidField({ presence: 'optional', doc: { description: 'Only this site (default: every site of the tenant)' } }) siteId?: string;
}

export class LegacySiteOccupancyStats {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Alexa car park' }) name!: string;
  @ApiProperty({ example: 41 }) free!: number;
  @ApiProperty({ example: 52 }) occupied!: number;
  @ApiProperty({ example: 100, description: 'Every space, in any state' }) total!: number;
  @ApiProperty({ example: 0.52, minimum: 0, maximum: 1, description: 'occupied / total (0 without spaces), rounded to 4 decimals' }) occupancyRate!: number;
}

export class LegacyOccupancyStats {
  @ApiProperty({ type: LegacySiteOccupancyStats, isArray: true, description: 'Sites in the order they were created' }) sites!: LegacySiteOccupancyStats[];
  @ApiProperty({ example: 41 }) free!: number;
  @ApiProperty({ example: 52 }) occupied!: number;
  @ApiProperty({ example: 100 }) total!: number;
  @ApiProperty({ example: 0.52, minimum: 0, maximum: 1, description: 'occupied / total over all the sites listed' }) occupancyRate!: number;
}
