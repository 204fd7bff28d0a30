import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  SITE_CATEGORIES,
  SPACE_TYPES,
  ZONE_KINDS,
  type ImportAssignmentRow,
  type ImportInventoryResponse,
  type ImportSpaceRow,
  type ImportZoneRow,
  type SiteCategory,
  type SpaceType,
  type ZoneKind,
} from '@parking/contracts';
import { GeoPointDto, UUID_EXAMPLE } from './occupancy-fields';

// Rows are documented here and checked by occupancy, row by row, so that a bad row is reported
// with its list and index (422) instead of failing the whole body as a 400.

const SITE_REF = 'A site row\'s name in this import, or an existing site\'s id or name (names must then be unique in the tenant)';
const ZONE_REF = 'A zone row\'s name in the same site, or an existing zone\'s id or name in that site';

export class ImportZoneRowDto implements ImportZoneRow {
  @ApiProperty({ example: 'Harbour Garage', description: SITE_REF }) site!: string;
  @ApiProperty({ example: 'North', maxLength: 200, description: 'Unique among the zones of the site' }) name!: string;
  @ApiPropertyOptional({ enum: ZONE_KINDS, default: 'zone' }) kind?: ZoneKind;
  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'Level 1', description: `The parent zone. ${ZONE_REF}` }) parent?: string | null;
}

export class ImportSpaceRowDto implements ImportSpaceRow {
  @ApiProperty({ example: 'Harbour Garage', description: SITE_REF }) site!: string;
  @ApiProperty({ example: 'L1-017', maxLength: 64, description: 'Unique within the site' }) code!: string;
  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'North', description: ZONE_REF }) zone?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 200, example: 'Bay 17' }) name?: string | null;
  @ApiPropertyOptional({ type: GeoPointDto, nullable: true }) location?: GeoPointDto | null;
  @ApiPropertyOptional({ enum: SITE_CATEGORIES, description: "Default: the site's category" }) category?: SiteCategory;
  @ApiPropertyOptional({ enum: SPACE_TYPES, default: 'standard' }) type?: SpaceType;
  @ApiPropertyOptional({ type: 'string', isArray: true, example: ['covered'] }) tags?: string[];
  @ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 64, example: 'A' }) priceZone?: string | null;
  @ApiPropertyOptional({ example: '70b3d54750100a1b', description: 'A registered sensor to put under the new space (as an assignment row would)' }) devEui?: string;
}

export class ImportAssignmentRowDto implements ImportAssignmentRow {
  @ApiProperty({ example: 'Harbour Garage', description: SITE_REF }) site!: string;
  @ApiProperty({ example: 'L1-017', description: "The space's code: a space row of this import or an existing space of the site" }) code!: string;
  @ApiProperty({ example: '70-B3-D5-47-50-10-0A-1C', description: 'A registered sensor that lies under no other space; 16 hex digits, optionally separated by - or :' }) devEui!: string;
}

class ImportedCountsDto {
  @ApiProperty({ example: 1 }) sites!: number;
  @ApiProperty({ example: 2 }) zones!: number;
  @ApiProperty({ example: 120 }) spaces!: number;
  @ApiProperty({ example: 120 }) assignments!: number;
}

class ImportedSiteDto {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ example: 'Harbour Garage' }) name!: string;
}

class ImportedZoneDto {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Level 1' }) name!: string;
}

export class ImportInventoryResultDto implements ImportInventoryResponse {
  @ApiProperty({ type: ImportedCountsDto, description: 'What the import created (assignments include the devEuis of space rows)' }) created!: ImportedCountsDto;
  @ApiProperty({ type: ImportedSiteDto, isArray: true }) sites!: ImportedSiteDto[];
  @ApiProperty({ type: ImportedZoneDto, isArray: true }) zones!: ImportedZoneDto[];
}
