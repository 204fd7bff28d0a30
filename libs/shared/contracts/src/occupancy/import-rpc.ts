import { ApiProperty } from '@nestjs/swagger';
import { IsIn, ValidateBy, type ValidationArguments } from 'class-validator';
import { DevEuiField, UUID_EXAMPLE } from '../fields/identifiers';
import { TextField } from '../fields/text';
import { defineRpc } from '../rpc-contract';
import {
  NullableLocation,
  OneOf,
  PriceZoneField,
  SITE_CATEGORIES,
  SPACE_TYPES,
  SpaceCodeField,
  SpaceNameField,
  SpaceTagsField,
  ZONE_KINDS,
  type GeoPoint,
  type SiteCategory,
  type SpaceType,
  type ZoneKind,
} from './occupancy-fields';
import { SiteInput } from './site-payloads';

/**
 * What one import may hold. Rows: 10,000 spaces with their sensors and the sites and zones
 * around them, written by bulk statements well inside the 15 s transaction limit. Bytes: the
 * import travels to occupancy as one request, below NATS's default 1 MiB message limit.
 */
export const OCCUPANCY_IMPORT_MAX_ROWS = 25_000;
export const OCCUPANCY_IMPORT_MAX_BYTES = 900 * 1024;

/** The lists of a JSON import, and the `kind` each row of a CSV import names. */
export const OCCUPANCY_IMPORT_LISTS = ['sites', 'zones', 'spaces', 'assignments'] as const;
export type OccupancyImportList = (typeof OCCUPANCY_IMPORT_LISTS)[number];
/** CSV `kind` column: `level` is a zone of kind level. */
export const OCCUPANCY_IMPORT_CSV_KINDS = ['site', 'zone', 'level', 'space', 'assignment'] as const;
export type OccupancyImportCsvKind = (typeof OCCUPANCY_IMPORT_CSV_KINDS)[number];
/**
 * CSV columns (header row, any order, case-insensitive); each kind uses some of them:
 * site: name, category, address, latitude, longitude, timeZone, heartbeatTimeoutSeconds;
 * zone/level: site, name, parent; space: site, code, zone, name, category, type, tags
 * (`a;b`), priceZone, latitude, longitude, devEui; assignment: site, code, devEui.
 */
export const OCCUPANCY_IMPORT_CSV_COLUMNS = [
  'kind',
  'site',
  'name',
  'code',
  'zone',
  'parent',
  'category',
  'type',
  'address',
  'latitude',
  'longitude',
  'timeZone',
  'heartbeatTimeoutSeconds',
  'tags',
  'priceZone',
  'devEui',
] as const;

/** An import takes seconds; still well inside occupancy's 15 s transaction limit. */
const IMPORT_TIMEOUT_MS = 20_000;
const SITE_REF = "A site row's name in this import, or an existing site's id or name (names must then be unique in the tenant)";
const ZONE_REF = "A zone row's name in the same site, or an existing zone's id or name in that site";

// Rows are checked by occupancy one by one with these classes, so that a bad row is reported with
// its line or list and index (422) instead of failing the whole body as a 400.

const SiteReference = () => TextField({ max: 200, doc: { example: 'Harbour Garage', description: SITE_REF } });

/** A new site: the fields of POST /api/v1/sites. */
export class ImportSiteRow extends SiteInput {}

export class ImportZoneRow {
  /** A site row's name, or an existing site's id or name. */
  @SiteReference() site!: string;
  /** Unique among the site's zones. */
  @TextField({ max: 200, doc: { example: 'North', description: 'Unique among the zones of the site' } }) name!: string;
  @OneOf(ZONE_KINDS, { presence: 'optional', doc: { default: 'zone' } }) kind?: ZoneKind;
  /** The parent zone: a zone row's name in the same site, or an existing zone's id or name. */
  @TextField({ presence: 'nullable', max: 200, doc: { example: 'Level 1', description: `The parent zone. ${ZONE_REF}` } }) parent?: string | null;
}

export class ImportSpaceRow {
  @SiteReference() site!: string;
  /** Unique within the site. */
  @SpaceCodeField('required', { example: 'L1-017', description: 'Unique within the site' }) code!: string;
  /** A zone row's name in the same site, or an existing zone's id or name. */
  @TextField({ presence: 'nullable', max: 200, doc: { example: 'North', description: ZONE_REF } }) zone?: string | null;
  @SpaceNameField('Bay 17') name?: string | null;
  @NullableLocation(null) location?: GeoPoint | null;
  @OneOf(SITE_CATEGORIES, { presence: 'optional', doc: { description: "Default: the site's category" } }) category?: SiteCategory;
  @OneOf(SPACE_TYPES, { presence: 'optional', doc: { default: 'standard' } }) type?: SpaceType;
  @SpaceTagsField({ example: ['covered'] }) tags?: string[];
  @PriceZoneField() priceZone?: string | null;
  /** Assigns this registered sensor to the new space (as an assignment row would). */
  @DevEuiField({ presence: 'optional', doc: { example: '70b3d54750100a1b', description: 'A registered sensor to put under the new space (as an assignment row would)' } })
  devEui?: string;
}

export class ImportAssignmentRow {
  @SiteReference() site!: string;
  /** The space's code: a space row of the import or an existing space. */
  @SpaceCodeField('required', { example: 'L1-017', description: "The space's code: a space row of this import or an existing space of the site" }) code!: string;
  @DevEuiField({ doc: { example: '70-B3-D5-47-50-10-0A-1C', description: 'A registered sensor that lies under no other space; 16 hex digits, optionally separated by - or :' } })
  devEui!: string;
}

type ImportFormat = 'csv' | 'json';
const formatOf = (args?: ValidationArguments) => (args?.object as { format?: unknown } | undefined)?.format;

/** A list of a JSON import (each optional); a CSV import holds none. */
const ImportList = (list: OccupancyImportList) =>
  ValidateBy({
    name: 'isImportList',
    validator: {
      validate: (value: unknown, args) => value === undefined || (formatOf(args) === 'json' && Array.isArray(value)),
      defaultMessage: (args) => (formatOf(args) === 'json' ? `${list} must be a list of ${list}` : `${list} is not part of a ${String(formatOf(args))} import`),
    },
  });

/** `csv`: `text` holds the file (header row first); `json`: the four lists (each optional). */
export class ImportInventoryRequest {
  @IsIn(['csv', 'json'], { message: 'format must be csv or json' })
  format!: ImportFormat;

  @ValidateBy({
    name: 'isImportText',
    validator: {
      validate: (value: unknown, args) => (formatOf(args) === 'csv' ? typeof value === 'string' : value === undefined),
      defaultMessage: (args) => (formatOf(args) === 'csv' ? 'text must be the CSV file as a string' : `text is not part of a ${String(formatOf(args))} import`),
    },
  })
  text?: string;

  @ImportList('sites') sites?: unknown[];
  @ImportList('zones') zones?: unknown[];
  @ImportList('spaces') spaces?: unknown[];
  @ImportList('assignments') assignments?: unknown[];
}

export class ImportedCounts {
  @ApiProperty({ example: 1 }) sites!: number;
  @ApiProperty({ example: 2 }) zones!: number;
  @ApiProperty({ example: 120 }) spaces!: number;
  @ApiProperty({ example: 120 }) assignments!: number;
}

export class ImportedSite {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ example: 'Harbour Garage' }) name!: string;
}

export class ImportedZone {
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) id!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) siteId!: string;
  @ApiProperty({ example: 'Level 1' }) name!: string;
}

export class ImportInventoryResponse {
  @ApiProperty({ type: ImportedCounts, description: 'What the import created (assignments include the devEuis of space rows)' }) created!: ImportedCounts;
  /** The sites created, with their ids. */
  @ApiProperty({ type: ImportedSite, isArray: true }) sites!: ImportedSite[];
  /** The zones created, with their ids. */
  @ApiProperty({ type: ImportedZone, isArray: true }) zones!: ImportedZone[];
}

/** One rejected row: its CSV line (1 = the header), or its JSON list and index. */
export interface InventoryImportRowProblem {
  line?: number;
  list?: OccupancyImportList;
  index?: number;
  field: string;
  message: string;
}

/**
 * Bulk import of a tenant's inventory: sites, their nested zones, spaces and which sensor lies
 * under which space, in one request and one transaction (`sites:write` and `spaces:write`).
 * Every row is checked first; any bad row is 422 IMPORT_REJECTED with `extras.rows` listing
 * each problem by CSV line or JSON list and index, and nothing is written. Created objects
 * count against the plan's `sites` and `spaces` limits as a whole (403 LIMIT_EXCEEDED).
 *
 * Rows refer to each other by natural keys, so one file can build a site from scratch:
 * - a site by `site`: the name of a site row of the import, else an existing site's id or
 *   (unique) name;
 * - a zone by its name within its site (`zone`, `parent`), or an existing zone's id;
 * - a space by its `code` within its site.
 * Create-only: a site row named like an existing site, a zone row named like a zone of its
 * site, or a space code the site already has is a row error. Assignments may name spaces of
 * the import or existing ones.
 */
export const OCCUPANCY_IMPORT_RPC = {
  importInventory: defineRpc('rpc.occupancy.v1.inventory.import', ImportInventoryRequest, ImportInventoryResponse, { timeoutMs: IMPORT_TIMEOUT_MS }),
} as const;
