import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  MAINTENANCE_REASON_MAX,
  SITE_CATEGORIES,
  SPACE_STATES,
  SPACE_TAGS_MAX,
  SPACE_TYPES,
  type SiteCategory,
  type SpaceInput,
  type SpaceReading,
  type SpaceState,
  type SpaceStateView,
  type SpaceType,
  type SpaceView,
} from '@parking/contracts';
import { DEV_EUI_PATTERN } from '../../device-routes/dto/devices.dto';
import { Each, ExpectedVersion, GeoPointDto, IsAnyUuid, NullableLocation, NullOrAbsentOr, OccupancyPageQuery, UUID_EXAMPLE } from './occupancy-fields';

export const SPACE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-/ ]{0,63}$/;
const SPACE_CODE_MESSAGE = 'code must be 1 to 64 letters, digits, spaces or _ . - / (starting with a letter or digit)';
const TAG_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const TAG_MESSAGE = 'each tag must be 1 to 64 letters, digits or _ . : -';

export const SpaceCode = (required: boolean) =>
  Each(
    required
      ? ApiProperty({ minLength: 1, maxLength: 64, pattern: SPACE_CODE_PATTERN.source, example: 'L2-017', description: 'Unique within the site' })
      : ApiPropertyOptional({ minLength: 1, maxLength: 64, pattern: SPACE_CODE_PATTERN.source, example: 'L2-017', description: 'Unique within the site' }),
    ...(required ? [] : [IsOptional()]),
    IsString(),
    Matches(SPACE_CODE_PATTERN, { message: SPACE_CODE_MESSAGE }),
  );

export const SpaceName = () =>
  Each(ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200, example: 'Bay 17, level 2' }), NullOrAbsentOr(IsString(), Length(1, 200)));

/** The fields of a space other than its site and code, the same on create and change. */
export class SpaceFieldsBody {
  @SpaceName() name?: string | null;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE, description: "A zone of the space's site; null: directly in the site" })
  @NullOrAbsentOr(IsAnyUuid('zoneId'))
  zoneId?: string | null;

  @NullableLocation() location?: GeoPointDto | null;

  @ApiPropertyOptional({ enum: SITE_CATEGORIES, example: 'off_street', description: "Default: the site's category" })
  @IsOptional()
  @IsIn(SITE_CATEGORIES)
  category?: SiteCategory;

  @ApiPropertyOptional({ enum: SPACE_TYPES, default: 'standard', example: 'ev' })
  @IsOptional()
  @IsIn(SPACE_TYPES)
  type?: SpaceType;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string', pattern: TAG_PATTERN.source }, maxItems: SPACE_TAGS_MAX, example: ['covered', 'level:2'], description: 'Replaces every tag' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SPACE_TAGS_MAX)
  @Matches(TAG_PATTERN, { each: true, message: TAG_MESSAGE })
  tags?: string[];

  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 64, example: 'A' })
  @NullOrAbsentOr(IsString(), Length(1, 64))
  priceZone?: string | null;
}

export class CreateSpaceBody extends SpaceFieldsBody implements SpaceInput {
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' })
  @IsAnyUuid('siteId')
  siteId!: string;

  @SpaceCode(true) code!: string;
}

export class UpdateSpaceBody extends SpaceFieldsBody {
  @SpaceCode(false) code?: string;
  @ExpectedVersion() version?: number;
}

export class ListSpacesQuery extends OccupancyPageQuery {
  @ApiPropertyOptional({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' })
  @IsOptional()
  @IsAnyUuid('siteId')
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid', example: UUID_EXAMPLE, description: 'Spaces in this zone or in zones nested in it' })
  @IsOptional()
  @IsAnyUuid('zoneId')
  zoneId?: string;

  @ApiPropertyOptional({ enum: SPACE_STATES, example: 'free' })
  @IsOptional()
  @IsIn(SPACE_STATES)
  state?: SpaceState;

  @ApiPropertyOptional({ enum: SPACE_TYPES, example: 'ev' })
  @IsOptional()
  @IsIn(SPACE_TYPES)
  type?: SpaceType;

  @ApiPropertyOptional({ example: 'covered', description: 'Spaces carrying this tag' })
  @IsOptional()
  @IsString()
  @Matches(TAG_PATTERN, { message: 'tag must be 1 to 64 letters, digits or _ . : -' })
  tag?: string;
}

export class AssignSensorBody {
  @ApiProperty({ example: '70-B3-D5-47-50-10-0A-1B', description: 'A sensor registered in the device registry: 16 hex digits, any case, optionally separated by "-" or ":"' })
  @IsString()
  @Matches(DEV_EUI_PATTERN, { message: 'devEui must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")' })
  devEui!: string;
}

export class SetMaintenanceBody {
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: MAINTENANCE_REASON_MAX, example: 'Barrier repair until Friday' })
  @NullOrAbsentOr(IsString(), Length(1, MAINTENANCE_REASON_MAX))
  reason?: string | null;
}

export class SpaceReadingDto implements SpaceReading {
  @ApiProperty({ example: '70b3d54750100a1b' }) devEui!: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 }) session!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 411 }) fCnt!: number | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:41:11.870Z', description: "ChirpStack's time" }) sensorTime!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12.004Z', description: 'When the gateway accepted the webhook' }) receivedAt!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '3b1f6c2e-0a4d-4e8b-9c7f-5d2a1e0b3c4f' }) deduplicationId!: string | null;
}

export class MaintenanceDto {
  @ApiProperty({ type: 'string', nullable: true, example: 'Barrier repair until Friday' }) reason!: string | null;
}

export class SpaceStateDto implements SpaceStateView {
  @ApiProperty({ enum: SPACE_STATES, example: 'occupied', description: 'maintenance over a fresh reading; free with an active reservation shows reserved; a silent (or no) sensor shows unknown' })
  state!: SpaceState;
  @ApiProperty({ type: 'boolean', nullable: true, example: true, description: 'What the sensor last said; null: no reading yet' }) sensorOccupied!: boolean | null;
  @ApiProperty({ example: false }) sensorSilent!: boolean;
  @ApiProperty({ type: MaintenanceDto, nullable: true, description: "The operator's override; null: none" }) maintenance!: MaintenanceDto | null;
  @ApiProperty({ example: false }) reservationActive!: boolean;
  @ApiProperty({ type: SpaceReadingDto, nullable: true }) reading!: SpaceReadingDto | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:41:12.004Z' }) lastReadingAt!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12.031Z' }) changedAt!: string;
  @ApiProperty({ example: 7, description: 'Grows with every change of state; matches `version` of occupancy.space.state_changed.v1' }) version!: number;
}

export class SpaceDto implements SpaceView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) zoneId!: string | null;
  @ApiProperty({ example: 'L2-017' }) code!: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'Bay 17, level 2' }) name!: string | null;
  @ApiProperty({ type: GeoPointDto, nullable: true }) location!: GeoPointDto | null;
  @ApiProperty({ enum: SITE_CATEGORIES, example: 'off_street' }) category!: SiteCategory;
  @ApiProperty({ enum: SPACE_TYPES, example: 'standard' }) type!: SpaceType;
  @ApiProperty({ type: 'array', items: { type: 'string' }, example: ['covered'] }) tags!: string[];
  @ApiProperty({ type: 'string', nullable: true, example: 'A' }) priceZone!: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '70b3d54750100a1b', description: "The assigned sensor's devEUI" }) sensorDevEui!: string | null;
  @ApiProperty({ example: 1, description: 'Grows by one with every change of the space (not of its state)' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
  @ApiProperty({ type: SpaceStateDto }) state!: SpaceStateDto;
}

export class SpacePage {
  @ApiProperty({ type: SpaceDto, isArray: true }) items!: SpaceDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}

