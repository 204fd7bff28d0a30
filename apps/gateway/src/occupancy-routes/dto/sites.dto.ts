import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsTimeZone, Length, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import {
  SITE_CATEGORIES,
  ZONE_KINDS,
  type AvailabilityCounts,
  type OpeningHours,
  type SiteAvailabilityResponse,
  type SiteCategory,
  type SiteInput,
  type SiteView,
  type ZoneAvailabilityView,
  type ZoneKind,
} from '@parking/contracts';
import { Each, ExpectedVersion, GeoPointDto, NullableLocation, NullOrAbsentOr, OccupancyPageQuery, UUID_EXAMPLE } from './occupancy-fields';

const TIMEOUT_MIN = 10;
const TIMEOUT_MAX = 30 * 24 * 3600;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HOURS_RANGE = /^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const HOURS_EXAMPLE = { mon: ['07:00-22:00'], tue: ['07:00-22:00'], sat: ['09:00-14:00', '16:00-20:00'] };

/** Weekdays to lists of `HH:MM-HH:MM` ranges (start before end), at most 8 a day. */
const IsOpeningHours = () =>
  ValidateBy({
    name: 'isOpeningHours',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.entries(value).every(
          ([day, ranges]) =>
            WEEKDAYS.includes(day) &&
            Array.isArray(ranges) &&
            ranges.length <= 8 &&
            ranges.every((range) => typeof range === 'string' && HOURS_RANGE.test(range) && range.slice(0, 5) < range.slice(6)),
        ),
      defaultMessage: () => 'openingHours must map weekdays (mon … sun) to lists of HH:MM-HH:MM ranges, e.g. {"mon": ["07:00-22:00"]}',
    },
  });

const OPENING_HOURS_DOC = {
  type: 'object',
  nullable: true,
  additionalProperties: { type: 'array', maxItems: 8, items: { type: 'string', pattern: HOURS_RANGE.source } },
  example: HOURS_EXAMPLE,
  description: "Keys mon, tue, wed, thu, fri, sat, sun, each with HH:MM-HH:MM ranges in the site's time zone; a missing day is closed; null: always open",
} as const;

const Address = () =>
  Each(ApiPropertyOptional({ type: 'string', nullable: true, maxLength: 500, example: 'Alexanderplatz 1, 10178 Berlin' }), NullOrAbsentOr(IsString(), Length(1, 500)));
const Hours = () => Each(ApiPropertyOptional(OPENING_HOURS_DOC), NullOrAbsentOr(IsOpeningHours()));
const HeartbeatTimeout = () =>
  Each(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: TIMEOUT_MIN,
      maximum: TIMEOUT_MAX,
      example: 1800,
      description: "A sensor silent longer than this makes its space unknown; null: 2 × the sensor's heartbeat",
    }),
    NullOrAbsentOr(IsInt(), Min(TIMEOUT_MIN), Max(TIMEOUT_MAX)),
  );
const TimeZone = () =>
  Each(ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', maxLength: 64, description: 'IANA time zone' }), IsOptional(), IsString(), MaxLength(64), IsTimeZone({ message: 'timeZone must be an IANA time zone such as Europe/Berlin' }));

export class CreateSiteBody implements SiteInput {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Alexa car park' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: SITE_CATEGORIES, example: 'off_street' })
  @IsIn(SITE_CATEGORIES)
  category!: SiteCategory;

  @Address() address?: string | null;
  @NullableLocation() location?: GeoPointDto | null;
  @TimeZone() timeZone?: string;
  @Hours() openingHours?: OpeningHours | null;
  @HeartbeatTimeout() heartbeatTimeoutSeconds?: number | null;
}

export class UpdateSiteBody implements Partial<SiteInput> {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Alexa car park (north)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: SITE_CATEGORIES, example: 'off_street' })
  @IsOptional()
  @IsIn(SITE_CATEGORIES)
  category?: SiteCategory;

  @Address() address?: string | null;
  @NullableLocation() location?: GeoPointDto | null;
  @TimeZone() timeZone?: string;
  @Hours() openingHours?: OpeningHours | null;
  @HeartbeatTimeout() heartbeatTimeoutSeconds?: number | null;
  @ExpectedVersion() version?: number;
}

export class ListSitesQuery extends OccupancyPageQuery {
  @ApiPropertyOptional({ enum: SITE_CATEGORIES, example: 'off_street' })
  @IsOptional()
  @IsIn(SITE_CATEGORIES)
  category?: SiteCategory;
}

export class SiteDto implements SiteView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ example: 'Alexa car park' }) name!: string;
  @ApiProperty({ enum: SITE_CATEGORIES, example: 'off_street' }) category!: SiteCategory;
  @ApiProperty({ type: 'string', nullable: true, example: 'Alexanderplatz 1, 10178 Berlin' }) address!: string | null;
  @ApiProperty({ type: GeoPointDto, nullable: true }) location!: GeoPointDto | null;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty(OPENING_HOURS_DOC) openingHours!: OpeningHours | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null, description: "null: 2 × the sensor's heartbeat" }) heartbeatTimeoutSeconds!: number | null;
  @ApiProperty({ example: 1, description: 'Grows by one with every change' }) version!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00Z' }) updatedAt!: string;
}

export class SitePage {
  @ApiProperty({ type: SiteDto, isArray: true }) items!: SiteDto[];
  @ApiProperty({ type: 'string', nullable: true, example: null }) nextCursor!: string | null;
}

export class AvailabilityCountsDto implements AvailabilityCounts {
  @ApiProperty({ example: 41 }) free!: number;
  @ApiProperty({ example: 52 }) occupied!: number;
  @ApiProperty({ example: 3 }) reserved!: number;
  @ApiProperty({ example: 1 }) maintenance!: number;
  @ApiProperty({ example: 3 }) unknown!: number;
  @ApiProperty({ example: 100 }) total!: number;
}

export class ZoneAvailabilityDto implements ZoneAvailabilityView {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) zoneId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: null }) parentZoneId!: string | null;
  @ApiProperty({ example: 'Level 2' }) name!: string;
  @ApiProperty({ enum: ZONE_KINDS, example: 'level' }) kind!: ZoneKind;
  @ApiProperty({ type: AvailabilityCountsDto, description: 'Spaces of this zone and the zones nested in it' }) counts!: AvailabilityCountsDto;
  @ApiProperty({ example: 17 }) version!: number;
}

export class SiteAvailabilityDto implements SiteAvailabilityResponse {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ type: AvailabilityCountsDto }) counts!: AvailabilityCountsDto;
  @ApiProperty({ example: 42, description: "Grows with every change of the site's counts" }) version!: number;
  @ApiProperty({ type: ZoneAvailabilityDto, isArray: true, description: 'Outer zones first' }) zones!: ZoneAvailabilityDto[];
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12Z', description: "When the site's counts last changed" }) updatedAt!: string;
}
