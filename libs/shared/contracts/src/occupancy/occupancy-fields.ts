import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import type { JsonSchema } from '../events/define-event';
import { Each, NullOrAbsentOr, presence, type Presence } from '../fields/compose';
import { PageQueryOf } from '../fields/paging';
import { documented, TextField, Trim } from '../fields/text';

/**
 * The vocabulary of sites, zones and spaces and the rules of their fields, shared by every
 * occupancy payload (the gateway checks HTTP input with them, occupancy each RPC and import row).
 */

export const SITE_CATEGORIES = ['off_street', 'on_street'] as const;
export type SiteCategory = (typeof SITE_CATEGORIES)[number];
export const ZONE_KINDS = ['zone', 'level'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];
export const SPACE_TYPES = ['standard', 'disabled', 'ev', 'motorcycle', 'loading'] as const;
export type SpaceType = (typeof SPACE_TYPES)[number];

/** Pages hold 1..500 items, 50 by default; keyset-paginated, oldest first. */
export const OCCUPANCY_PAGE_MAX = 500;
export const OCCUPANCY_PAGE_DEFAULT = 50;
/** Zones nest at most this deep (a level holding zones holding zones, …). */
export const ZONE_MAX_DEPTH = 8;
/** Tags of a space: at most this many labels, each `[A-Za-z0-9_.:-]{1,64}`. */
export const SPACE_TAGS_MAX = 20;
/** Longest reason an operator may give for a maintenance override. */
export const MAINTENANCE_REASON_MAX = 500;
/** A sensor silent longer than this (seconds) makes its space `unknown`: 10 s to 30 days. */
export const HEARTBEAT_TIMEOUT_MIN = 10;
export const HEARTBEAT_TIMEOUT_MAX = 30 * 24 * 3600;
const VERSION_MAX = 2 ** 31 - 1;

/** Cursor pagination of the occupancy lists (1..500 a page, 50 by default). */
export class OccupancyPageQuery extends PageQueryOf(OCCUPANCY_PAGE_MAX, OCCUPANCY_PAGE_DEFAULT) {}

/** One of `values` (an enum in OpenAPI). */
export function OneOf(values: readonly string[], options: { presence?: Presence; doc?: ApiPropertyOptions; message?: string } = {}): PropertyDecorator {
  const given = options.presence ?? 'required';
  return Each(
    documented(given, { enum: [...values], ...options.doc } as ApiPropertyOptions),
    presence(given, IsIn(values, options.message ? { message: options.message } : undefined)),
  );
}

/** A WGS 84 position. */
export class GeoPoint {
  @ApiProperty({ minimum: -90, maximum: 90, example: 52.5219 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude!: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 13.4132 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude!: number;
}

/** An optional position; `null` clears it. Problems are named by coordinate (`location.latitude`). */
export const NullableLocation = (description: string | null = 'WGS 84 position; null clears it') =>
  Each(
    ApiPropertyOptional({ type: GeoPoint, nullable: true, ...(description ? { description } : {}) }),
    NullOrAbsentOr(ValidateNested(), Type(() => GeoPoint)),
  );

/** A `version` the caller read: if the object has moved on, 409 CONFLICT and nothing changes. */
export const ExpectedVersion = () =>
  Each(
    ApiPropertyOptional({ type: 'integer', minimum: 1, example: 1, description: 'The version you read; if the object has moved on, 409 CONFLICT and nothing changes' }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(VERSION_MAX),
  );

// ---------------------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------------------

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HOURS_RANGE = /^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

/**
 * Opening hours per ISO weekday (`mon` … `sun`), each a list of `HH:MM-HH:MM` ranges in the
 * site's time zone; a missing day is closed. `null` for the whole value: always open.
 */
export type OpeningHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>;

export const OPENING_HOURS_DOC = {
  type: 'object',
  nullable: true,
  additionalProperties: { type: 'array', maxItems: 8, items: { type: 'string', pattern: HOURS_RANGE.source } },
  example: { mon: ['07:00-22:00'], tue: ['07:00-22:00'], sat: ['09:00-14:00', '16:00-20:00'] },
  description: "Keys mon, tue, wed, thu, fri, sat, sun, each with HH:MM-HH:MM ranges in the site's time zone; a missing day is closed; null: always open",
} as const;

/** Opening hours as events carry them (JSON Schema); null: always open. */
export const OPENING_HOURS_SCHEMA: JsonSchema = {
  oneOf: [
    { type: 'null' },
    {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(WEEKDAYS.map((day) => [day, { type: 'array', maxItems: 8, items: { type: 'string', pattern: HOURS_RANGE.source } }])),
    },
  ],
};

function isOpeningHours(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(
      ([day, ranges]) =>
        WEEKDAYS.includes(day) &&
        Array.isArray(ranges) &&
        ranges.length <= 8 &&
        ranges.every((range) => typeof range === 'string' && HOURS_RANGE.test(range) && range.slice(0, 5) < range.slice(6)),
    )
  );
}

/** Weekdays to lists of `HH:MM-HH:MM` ranges (start before end), at most 8 a day; null: always open. */
export const OpeningHoursField = () =>
  Each(
    ApiPropertyOptional(OPENING_HOURS_DOC),
    NullOrAbsentOr(
      ValidateBy({
        name: 'isOpeningHours',
        validator: {
          validate: isOpeningHours,
          defaultMessage: () => 'openingHours must map weekdays (mon … sun) to lists of HH:MM-HH:MM ranges, e.g. {"mon": ["07:00-22:00"]}',
        },
      }),
    ),
  );

/**
 * Building an Intl.DateTimeFormat to learn whether a zone exists costs about 70 µs, most of
 * a site's validation: zones already answered are remembered (a few hundred exist).
 */
const zoneVerdicts = new Map<string, boolean>();
const ZONE_VERDICTS_MAX = 2_000;

export function isIanaTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  const known = zoneVerdicts.get(value);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    valid = true;
  } catch {
    valid = false;
  }
  if (zoneVerdicts.size < ZONE_VERDICTS_MAX) zoneVerdicts.set(value, valid);
  return valid;
}

/** An IANA time zone (UTC when left out). */
export const TimeZoneField = () =>
  Each(
    ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', maxLength: 64, description: 'IANA time zone' }),
    IsOptional(),
    IsString(),
    MaxLength(64),
    ValidateBy({ name: 'isIanaTimeZone', validator: { validate: isIanaTimeZone, defaultMessage: () => 'timeZone must be an IANA time zone such as Europe/Berlin' } }),
  );

/** How long a sensor may stay silent before its space shows unknown; null: 2 × its heartbeat. */
export const HeartbeatTimeoutField = () =>
  Each(
    ApiPropertyOptional({
      type: 'integer',
      nullable: true,
      minimum: HEARTBEAT_TIMEOUT_MIN,
      maximum: HEARTBEAT_TIMEOUT_MAX,
      example: 1800,
      description: "A sensor silent longer than this makes its space unknown; null: 2 × the sensor's heartbeat",
    }),
    NullOrAbsentOr(IsInt(), Min(HEARTBEAT_TIMEOUT_MIN), Max(HEARTBEAT_TIMEOUT_MAX)),
  );

// ---------------------------------------------------------------------------------------
// Spaces
// ---------------------------------------------------------------------------------------

/** 1 to 64 characters (the pattern bounds the length), starting with a letter or digit. */
export const SPACE_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-/ ]{0,63}$/;
const SPACE_CODE_MESSAGE = 'code must be 1 to 64 letters, digits, spaces or _ . - / (starting with a letter or digit)';
export const SPACE_TAG_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A space's code, unique within its site; trimmed (occupancy always stored it trimmed). */
export const SpaceCodeField = (given: Presence, doc: ApiPropertyOptions = { example: 'L2-017', description: 'Unique within the site' }) =>
  Each(
    documented(given, { minLength: 1, maxLength: 64, pattern: SPACE_CODE_PATTERN.source, ...doc } as ApiPropertyOptions),
    Trim(),
    presence(given, IsString(), Matches(SPACE_CODE_PATTERN, { message: SPACE_CODE_MESSAGE })),
  );

/** The labels of a space, each at most once (a repeated label is kept once). */
export const SpaceTagsField = (doc: ApiPropertyOptions = { example: ['covered', 'level:2'], description: 'Replaces every tag' }) =>
  Each(
    ApiPropertyOptional({ type: 'array', items: { type: 'string', pattern: SPACE_TAG_PATTERN.source }, maxItems: SPACE_TAGS_MAX, ...doc } as ApiPropertyOptions),
    Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? [...new Set(value)] : value)),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(SPACE_TAGS_MAX),
    Matches(SPACE_TAG_PATTERN, { each: true, message: 'each tag must be 1 to 64 letters, digits or _ . : -' }),
  );

/** One label, to filter spaces by. */
export const SpaceTagFilter = () =>
  Each(
    ApiPropertyOptional({ example: 'covered', description: 'Spaces carrying this tag' }),
    Trim(),
    IsOptional(),
    IsString(),
    Matches(SPACE_TAG_PATTERN, { message: 'tag must be 1 to 64 letters, digits or _ . : -' }),
  );

export const SpaceNameField = (example = 'Bay 17, level 2') => TextField({ presence: 'nullable', max: 200, doc: { example } });
export const PriceZoneField = () => TextField({ presence: 'nullable', max: 64, doc: { example: 'A' } });

/** Why an operator put a space into maintenance (optional; null: no reason given). */
export const MaintenanceReasonField = () => TextField({ presence: 'nullable', max: MAINTENANCE_REASON_MAX, doc: { example: 'Barrier repair until Friday' } });
