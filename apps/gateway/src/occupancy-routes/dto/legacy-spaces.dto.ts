import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { IsAnyUuid, UUID_EXAMPLE } from './occupancy-fields';
import { SetMaintenanceBody, SpaceCode, SpaceFieldsBody } from './spaces.dto';

/**
 * The states the previous platform let operators set by hand. `maintenance` sets the
 * override; `free` and `occupied` clear it, after which the space shows what its sensor
 * says. `reserved` and `unknown` only come from reservations and sensor silence.
 */
export const LEGACY_MANUAL_STATES = ['maintenance', 'free', 'occupied'] as const;
export type LegacyManualState = (typeof LEGACY_MANUAL_STATES)[number];

/** POST /api/v6/spaces: the v1 body, or the previous platform's `{site_id, code, name}`. */
export class LegacyCreateSpaceBody extends SpaceFieldsBody {
  @ApiPropertyOptional({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', description: 'The site; give this or site_id' })
  @ValidateIf((body: LegacyCreateSpaceBody) => body.site_id === undefined || body.siteId !== undefined)
  @IsAnyUuid('siteId')
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', description: "The previous platform's name of siteId" })
  @IsOptional()
  @IsAnyUuid('site_id')
  site_id?: string;

  @SpaceCode(true) code!: string;
}

export class LegacySpaceStateBody extends SetMaintenanceBody {
  @ApiProperty({
    enum: LEGACY_MANUAL_STATES,
    example: 'maintenance',
    description: "maintenance sets the operator's override (with the optional reason); free or occupied clear it, and the space then shows what its sensor says",
  })
  @IsIn(LEGACY_MANUAL_STATES, { message: `state must be one of ${LEGACY_MANUAL_STATES.join(', ')}; reserved and unknown follow from reservations and sensor silence, never from a manual setting` })
  state!: LegacyManualState;
}

export class LegacyOccupancyStatsQuery {
  @ApiPropertyOptional({ format: 'uuid', example: UUID_EXAMPLE, description: 'Only this site (default: every site of the tenant)' })
  @IsOptional()
  @IsAnyUuid('siteId')
  siteId?: string;
}

export class SiteOccupancyStatsDto {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Alexa car park' }) name!: string;
  @ApiProperty({ example: 41 }) free!: number;
  @ApiProperty({ example: 52 }) occupied!: number;
  @ApiProperty({ example: 100, description: 'Every space, in any state' }) total!: number;
  @ApiProperty({ example: 0.52, minimum: 0, maximum: 1, description: 'occupied / total (0 without spaces), rounded to 4 decimals' }) occupancyRate!: number;
}

export class LegacyOccupancyStatsDto {
  @ApiProperty({ type: SiteOccupancyStatsDto, isArray: true, description: 'Sites in the order they were created' }) sites!: SiteOccupancyStatsDto[];
  @ApiProperty({ example: 41 }) free!: number;
  @ApiProperty({ example: 52 }) occupied!: number;
  @ApiProperty({ example: 100 }) total!: number;
  @ApiProperty({ example: 0.52, minimum: 0, maximum: 1, description: 'occupied / total over all the sites listed' }) occupancyRate!: number;
}

