import type { TenantScopedRequest } from '../identity/identity-rpc';
import type { GeoPoint, OpeningHours, SiteCategory, SpaceType, ZoneKind } from './occupancy-rpc';

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
  importInventory: 'rpc.occupancy.v1.inventory.import',
} as const;

export type OccupancyImportRpcSubject = (typeof OCCUPANCY_IMPORT_RPC)[keyof typeof OCCUPANCY_IMPORT_RPC];

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

export interface ImportSiteRow {
  name: string;
  category: SiteCategory;
  address?: string | null;
  location?: GeoPoint | null;
  timeZone?: string;
  openingHours?: OpeningHours | null;
  heartbeatTimeoutSeconds?: number | null;
}

export interface ImportZoneRow {
  /** A site row's name, or an existing site's id or name. */
  site: string;
  /** Unique among the site's zones. */
  name: string;
  kind?: ZoneKind;
  /** The parent zone: a zone row's name in the same site, or an existing zone's id or name. */
  parent?: string | null;
}

export interface ImportSpaceRow {
  site: string;
  /** Unique within the site. */
  code: string;
  /** A zone row's name in the same site, or an existing zone's id or name. */
  zone?: string | null;
  name?: string | null;
  location?: GeoPoint | null;
  category?: SiteCategory;
  type?: SpaceType;
  tags?: string[];
  priceZone?: string | null;
  /** Assigns this registered sensor to the new space (as an assignment row would). */
  devEui?: string;
}

export interface ImportAssignmentRow {
  site: string;
  /** The space's code: a space row of the import or an existing space. */
  code: string;
  devEui: string;
}

export interface ImportInventoryRequest extends TenantScopedRequest {
  /** `csv`: `text` holds the file (header row first); `json`: the four lists (each optional). */
  format: 'csv' | 'json';
  text?: string;
  sites?: unknown[];
  zones?: unknown[];
  spaces?: unknown[];
  assignments?: unknown[];
}

export interface ImportInventoryResponse {
  created: { sites: number; zones: number; spaces: number; assignments: number };
  /** The sites created, with their ids. */
  sites: Array<{ id: string; name: string }>;
  /** The zones created, with their ids. */
  zones: Array<{ id: string; siteId: string; name: string }>;
}

/** One rejected row: its CSV line (1 = the header), or its JSON list and index. */
export interface InventoryImportRowProblem {
  line?: number;
  list?: OccupancyImportList;
  index?: number;
  field: string;
  message: string;
}
