import { defineRpc } from '../rpc-contract';
import {
  CreateSiteRequest,
  CreateZoneRequest,
  ListSitesRequest,
  ListZonesRequest,
  SiteAvailabilityResponse,
  SitePage,
  SiteRef,
  SiteView,
  UpdateSiteRequest,
  UpdateZoneRequest,
  ZonePage,
  ZoneRef,
  ZoneView,
} from './site-payloads';
import { AssignSensorRequest, CreateSpaceRequest, ListSpacesRequest, SetMaintenanceRequest, SpacePage, SpaceRef, SpaceView, UpdateSpaceRequest } from './space-payloads';

/**
 * Sites, zones and spaces over NATS request/reply. The gateway validates HTTP input with the
 * request classes, then sends them; occupancy validates the same class on receipt and checks
 * the permission (`sites:*` for sites and zones, `spaces:*` for spaces, sensors and overrides)
 * against the principal, inside the principal's tenant: another tenant's id is 404.
 */
export const OCCUPANCY_RPC = {
  /** 403 LIMIT_EXCEEDED (limit `sites`) when the plan's sites are used up. */
  createSite: defineRpc('rpc.occupancy.v1.sites.create', CreateSiteRequest, SiteView),
  listSites: defineRpc('rpc.occupancy.v1.sites.list', ListSitesRequest, SitePage),
  getSite: defineRpc('rpc.occupancy.v1.sites.get', SiteRef, SiteView),
  updateSite: defineRpc('rpc.occupancy.v1.sites.update', UpdateSiteRequest, SiteView),
  /** 409 CONFLICT while the site has spaces: delete or move them first. Its zones go with it. */
  deleteSite: defineRpc('rpc.occupancy.v1.sites.delete', SiteRef, SiteView),
  siteAvailability: defineRpc('rpc.occupancy.v1.sites.availability', SiteRef, SiteAvailabilityResponse),
  createZone: defineRpc('rpc.occupancy.v1.zones.create', CreateZoneRequest, ZoneView),
  listZones: defineRpc('rpc.occupancy.v1.zones.list', ListZonesRequest, ZonePage),
  getZone: defineRpc('rpc.occupancy.v1.zones.get', ZoneRef, ZoneView),
  updateZone: defineRpc('rpc.occupancy.v1.zones.update', UpdateZoneRequest, ZoneView),
  /** 409 CONFLICT while the zone holds spaces or nested zones. */
  deleteZone: defineRpc('rpc.occupancy.v1.zones.delete', ZoneRef, ZoneView),
  createSpace: defineRpc('rpc.occupancy.v1.spaces.create', CreateSpaceRequest, SpaceView),
  listSpaces: defineRpc('rpc.occupancy.v1.spaces.list', ListSpacesRequest, SpacePage),
  getSpace: defineRpc('rpc.occupancy.v1.spaces.get', SpaceRef, SpaceView),
  updateSpace: defineRpc('rpc.occupancy.v1.spaces.update', UpdateSpaceRequest, SpaceView),
  deleteSpace: defineRpc('rpc.occupancy.v1.spaces.delete', SpaceRef, SpaceView),
  assignSensor: defineRpc('rpc.occupancy.v1.spaces.assign-sensor', AssignSensorRequest, SpaceView),
  /** The space forgets its sensor's readings and shows `unknown` until a new sensor speaks. */
  unassignSensor: defineRpc('rpc.occupancy.v1.spaces.unassign-sensor', SpaceRef, SpaceView),
  setMaintenance: defineRpc('rpc.occupancy.v1.spaces.set-maintenance', SetMaintenanceRequest, SpaceView),
  /** The space shows what its sensor (and reservation) say again. */
  clearMaintenance: defineRpc('rpc.occupancy.v1.spaces.clear-maintenance', SpaceRef, SpaceView),
} as const;
