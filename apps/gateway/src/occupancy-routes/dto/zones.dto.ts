import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ZONE_KINDS, type ZoneInput, type ZoneKind, type ZoneView } from '@parking/contracts';
import { ExpectedVersion, IsAnyUuid, NullOrAbsentOr, OccupancyPageQuery, UUID_EXAMPLE } from './occupancy-fields';

export class CreateZoneBody implements ZoneInput {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Level 2' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: ZONE_KINDS, default: 'zone', example: 'level' })
  @IsOptional()
  @IsIn(ZONE_KINDS)
  kind?: ZoneKind;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', nullable: true, example: null, description: 'A zone of the same site to nest in (at most 8 deep); fixed once created' })
  @NullOrAbsentOr(IsAnyUuid('parentZoneId'))
  parentZoneId?: string | null;
}

export class UpdateZoneBody {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Level 2 (short stay)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: ZONE_KINDS, example: 'level' })
  @IsOptional()
  @IsIn(ZONE_KINDS)
  kind?: ZoneKind;

  @ExpectedVersion() version?: number;
}

export class ListZonesQuery extends OccupancyPageQuery {
  @ApiPropertyOptional({ format: 'uuid', example: UUID_EXAMPLE, description: 'Only the zones nested directly in this one' })
  @IsOptional()
  @IsAnyUuid('parentZoneId')
  parentZoneId?: string;

  @ApiPropertyOptional({ enum: ZONE_KINDS, example: 'level' })
  @IsOptional()
  @IsIn(ZONE_KINDS)
  kind?: ZoneKind;
}

export class ZoneDto implements ZoneView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) siteId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) parentZoneId!: string | null;
  @ApiProperty({ example: 'Level 2' }) name!: string;
  @ApiProperty({ enum: ZONE_KINDS, example: 'level' }) kind!: ZoneKind;
  @ApiProperty({ example: 1, description: 'Grows by one with every change' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
}

export class ZonePage {
  @ApiProperty({ type: ZoneDto, isArray: true }) items!: ZoneDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}
