import type { PageRequest, TenantScopedRequest } from '../identity/identity-rpc';
import type { AvailabilityCounts, SpaceReading, SpaceState } from './space-states';

/**
 * Sites, zones and spaces as the occupancy service answers them over NATS request/reply.
 * The gateway validates HTTP input, then sends these; occupancy validates again and checks
 * the permission (`sites:*` for sites and zones, `spaces:*` for spaces, sensors and
 * overrides) against the principal, inside the principal's tenant: another tenant's id is 404.
 */
export const OCCUPANCY_RPC = {
  createSite: 'rpc.occupancy.v1.sites.create',
  listSites: 'rpc.occupancy.v1.sites.list',
  getSite: 'rpc.occupancy.v1.sites.get',
  updateSite: 'rpc.occupancy.v1.sites.update',
  deleteSite: 'rpc.occupancy.v1.sites.delete',
  siteAvailability: 'rpc.occupancy.v1.sites.availability',
  createZone: 'rpc.occupancy.v1.zones.create',
  listZones: 'rpc.occupancy.v1.zones.list',
  getZone: 'rpc.occupancy.v1.zones.get',
  updateZone: 'rpc.occupancy.v1.zones.update',
  deleteZone: 'rpc.occupancy.v1.zones.delete',
  createSpace: 'rpc.occupancy.v1.spaces.create',
  listSpaces: 'rpc.occupancy.v1.spaces.list',
  getSpace: 'rpc.occupancy.v1.spaces.get',
  updateSpace: 'rpc.occupancy.v1.spaces.update',
  deleteSpace: 'rpc.occupancy.v1.spaces.delete',
  assignSensor: 'rpc.occupancy.v1.spaces.assign-sensor',
  unassignSensor: 'rpc.occupancy.v1.spaces.unassign-sensor',
  setMaintenance: 'rpc.occupancy.v1.spaces.set-maintenance',
  clearMaintenance: 'rpc.occupancy.v1.spaces.clear-maintenance',
} as const;

export type OccupancyRpcSubject = (typeof OCCUPANCY_RPC)[keyof typeof OCCUPANCY_RPC];

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

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/**
 * Opening hours per ISO weekday (`mon` … `sun`), each a list of `HH:MM-HH:MM` ranges in the
 * site's time zone; a missing day is closed. `null` for the whole value: always open.
 */
export type OpeningHours = Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>;

export interface SiteInput {
  name: string;
  address?: string | null;
  location?: GeoPoint | null;
  /** IANA time zone, e.g. `Europe/Berlin`; default `UTC`. */
  timeZone?: string;
  openingHours?: OpeningHours | null;
  category: SiteCategory;
  /** A sensor silent longer than this makes its space `unknown`; null: 2 × the sensor's heartbeat. */
  heartbeatTimeoutSeconds?: number | null;
}

export interface SiteView extends Required<SiteInput> {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ZoneInput {
  name: string;
  kind?: ZoneKind;
  /** A zone of the same site this one nests in; null at the top. Fixed once created. */
  parentZoneId?: string | null;
}

export interface ZoneView {
  id: string;
  siteId: string;
  parentZoneId: string | null;
  name: string;
  kind: ZoneKind;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SpaceInput {
  /** Unique within the site. */
  code: string;
  name?: string | null;
  /** A zone of the space's site; null: directly in the site. */
  zoneId?: string | null;
  location?: GeoPoint | null;
  /** Default: the site's category. */
  category?: SiteCategory;
  type?: SpaceType;
  tags?: string[];
  priceZone?: string | null;
}

/** The live state of a space, with what it rests on. */
export interface SpaceStateView {
  state: SpaceState;
  /** What the sensor last said; null: no reading yet (or none since the sensor changed). */
  sensorOccupied: boolean | null;
  sensorSilent: boolean;
  maintenance: { reason: string | null } | null;
  reservationActive: boolean;
  reading: SpaceReading | null;
  lastReadingAt: string | null;
  changedAt: string;
  /** Grows with every change of state; matches `version` of `occupancy.space.state_changed.v1`. */
  version: number;
}

export interface SpaceView {
  id: string;
  siteId: string;
  zoneId: string | null;
  code: string;
  name: string | null;
  location: GeoPoint | null;
  category: SiteCategory;
  type: SpaceType;
  tags: string[];
  priceZone: string | null;
  /** The assigned sensor's devEUI, if any. */
  sensorDevEui: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  state: SpaceStateView;
}

export interface SiteRef extends TenantScopedRequest {
  siteId: string;
}
export interface ZoneRef extends TenantScopedRequest {
  zoneId: string;
}
export interface SpaceRef extends TenantScopedRequest {
  spaceId: string;
}

/** 403 LIMIT_EXCEEDED (limit `sites`) when the plan's sites are used up. */
export interface CreateSiteRequest extends TenantScopedRequest, SiteInput {}
export type ListSitesRequest = TenantScopedRequest & PageRequest & { category?: SiteCategory };
/** Only the fields given change; `null` clears an optional one; `version` (optional) must match. */
export type UpdateSiteRequest = SiteRef & Partial<SiteInput> & { version?: number };
/** 409 CONFLICT while the site has spaces: delete or move them first. Its zones go with it. */
export type DeleteSiteRequest = SiteRef;

export type CreateZoneRequest = SiteRef & ZoneInput;
export type ListZonesRequest = SiteRef & PageRequest & { parentZoneId?: string; kind?: ZoneKind };
export type UpdateZoneRequest = ZoneRef & { name?: string; kind?: ZoneKind; version?: number };
/** 409 CONFLICT while the zone holds spaces or nested zones. */
export type DeleteZoneRequest = ZoneRef;

/** 403 LIMIT_EXCEEDED (limit `spaces`); 409 CONFLICT when the code is taken in the site. */
export type CreateSpaceRequest = SiteRef & SpaceInput;
export interface SpaceFilters {
  siteId?: string;
  zoneId?: string;
  state?: SpaceState;
  type?: SpaceType;
  /** Spaces carrying this tag. */
  tag?: string;
}
export type ListSpacesRequest = TenantScopedRequest & PageRequest & SpaceFilters;
/** Moving a space to another zone moves its count with it; the site is fixed. */
export type UpdateSpaceRequest = SpaceRef & Partial<Omit<SpaceInput, 'code'>> & { code?: string; version?: number };
export type DeleteSpaceRequest = SpaceRef;

/**
 * The device must be a registered sensor of the tenant (404 otherwise). 409 CONFLICT when it
 * lies under another space, or this space has another sensor (unassign that one first).
 * Assigning the sensor a space already has changes nothing.
 */
export type AssignSensorRequest = SpaceRef & { devEui: string };
/** The space forgets its sensor's readings and shows `unknown` until a new sensor speaks. */
export type UnassignSensorRequest = SpaceRef;
/** Sticky until cleared: readings keep arriving and are kept, but the space shows `maintenance`. */
export type SetMaintenanceRequest = SpaceRef & { reason?: string | null };
/** The space shows what its sensor (and reservation) say again. */
export type ClearMaintenanceRequest = SpaceRef;

export type SpaceResponse = SpaceView;

export interface ZoneAvailabilityView {
  zoneId: string;
  parentZoneId: string | null;
  name: string;
  kind: ZoneKind;
  counts: AvailabilityCounts;
  version: number;
}

/** From the counts kept with every change; no space is scanned. */
export type SiteAvailabilityRequest = SiteRef;
export interface SiteAvailabilityResponse {
  siteId: string;
  counts: AvailabilityCounts;
  version: number;
  zones: ZoneAvailabilityView[];
  /** RFC 3339: when the site's counts last changed. */
  updatedAt: string;
}

