import {
  AvailabilityCounts,
  GeoJsonPoint,
  GeoPoint,
  NGSI_LD_CORE_CONTEXT,
  NgsiLdEntity,
  SMART_DATA_MODELS_CONTEXT,
  SiteCategory,
  SiteFiwareResponse,
  SpaceState,
  SpaceView,
} from '@parking/contracts';
import { latest, siteStatus } from './site-status';
import { SiteInventory, ZoneWithCounts } from './site-inventory';

/**
 * A site as FIWARE Smart Data Models entities (NGSI-LD, key-value form like the models'
 * `example.jsonld`): the site as `OffStreetParking` or `OnStreetParking`, each zone as a
 * `ParkingGroup` and each space as a `ParkingSpot`.
 *
 * Mapping:
 * - space state → ParkingSpot `status`: free → free, occupied → occupied, reserved → occupied
 *   (with the extension attribute `reserved: true`), maintenance → closed, unknown → unknown.
 * - counts → `availableSpotNumber` (free), `occupiedSpotNumber` (occupied + reserved),
 *   `totalSpotNumber`; the extensions `reservedSpotNumber` and `unknownSpotNumber`, and
 *   maintenance as `outOfServiceSlotNumber`.
 * - a space without a location of its own takes its site's, since the model requires one.
 * - ids are URNs: `urn:ngsi-ld:<type>:<uuid>`.
 */
export const FIWARE_CONTEXT = [SMART_DATA_MODELS_CONTEXT, NGSI_LD_CORE_CONTEXT];

export type ParkingSpotStatus = 'free' | 'occupied' | 'closed' | 'unknown';

const SPOT_STATUS: Record<SpaceState, ParkingSpotStatus> = {
  free: 'free',
  occupied: 'occupied',
  reserved: 'occupied',
  maintenance: 'closed',
  unknown: 'unknown',
};

export function parkingSpotStatus(state: SpaceState): ParkingSpotStatus {
  return SPOT_STATUS[state];
}

export function siteEntityType(category: SiteCategory): 'OffStreetParking' | 'OnStreetParking' {
  return category === 'on_street' ? 'OnStreetParking' : 'OffStreetParking';
}

export function ngsiLdUrn(type: NgsiLdEntity['type'] | 'Device', id: string): string {
  return `urn:ngsi-ld:${type}:${id}`;
}

export function geoJsonPoint(location: GeoPoint): GeoJsonPoint {
  return { type: 'Point', coordinates: [location.longitude, location.latitude] };
}

/** The Smart Data Models spot numbers of a set of counts; reserved spaces count as occupied. */
export function spotNumbers(counts: AvailabilityCounts): Record<string, number> {
  return {
    availableSpotNumber: counts.free,
    occupiedSpotNumber: counts.occupied + counts.reserved,
    reservedSpotNumber: counts.reserved,
    outOfServiceSlotNumber: counts.maintenance,
    unknownSpotNumber: counts.unknown,
  };
}

/** Attributes set only when there is a value: NGSI-LD has no null attributes. */
function present(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null && value !== undefined));
}

const categoryOf = (category: SiteCategory) => (category === 'on_street' ? 'onStreet' : 'offStreet');

function siteEntity(inventory: SiteInventory): NgsiLdEntity {
  const { site, siteCounts } = inventory;
  const type = siteEntityType(site.category);
  const status = siteStatus(siteCounts.counts);
  return {
    id: ngsiLdUrn(type, site.id),
    type,
    ...present({
      name: site.name,
      address: site.address === null ? null : { streetAddress: site.address },
      location: site.location && geoJsonPoint(site.location),
      ...spotNumbers(siteCounts.counts),
      totalSpotNumber: siteCounts.counts.total,
      status: status === 'unknown' ? null : [status],
      occupancyModified: siteCounts.updatedAt,
      dateCreated: site.createdAt,
      dateModified: latest(site.updatedAt, siteCounts.updatedAt),
    }),
    '@context': FIWARE_CONTEXT,
  };
}

function groupEntity(inventory: SiteInventory, zone: ZoneWithCounts): NgsiLdEntity {
  const category = [categoryOf(inventory.site.category), ...(zone.kind === 'level' ? ['completeFloor'] : [])];
  return {
    id: ngsiLdUrn('ParkingGroup', zone.id),
    type: 'ParkingGroup',
    ...present({
      name: zone.name,
      category,
      refParkingSite: ngsiLdUrn(siteEntityType(inventory.site.category), inventory.site.id),
      // The model has no nesting; the parent is an extension attribute.
      refParentParkingGroup: zone.parentZoneId && ngsiLdUrn('ParkingGroup', zone.parentZoneId),
      ...spotNumbers(zone.counts),
      // The model wants at least one spot here, so an empty zone leaves it out.
      totalSpotNumber: zone.counts.total > 0 ? zone.counts.total : null,
      dateModified: zone.updatedAt,
    }),
    '@context': FIWARE_CONTEXT,
  };
}

function spotEntity(inventory: SiteInventory, space: SpaceView): NgsiLdEntity {
  const location = space.location ?? inventory.site.location;
  return {
    id: ngsiLdUrn('ParkingSpot', space.id),
    type: 'ParkingSpot',
    ...present({
      name: space.name ?? space.code,
      status: parkingSpotStatus(space.state.state),
      reserved: space.state.state === 'reserved',
      category: [categoryOf(space.category)],
      refParkingSite: ngsiLdUrn(siteEntityType(inventory.site.category), inventory.site.id),
      refParkingGroup: space.zoneId && ngsiLdUrn('ParkingGroup', space.zoneId),
      refDevice: space.sensorDevEui && [ngsiLdUrn('Device', space.sensorDevEui)],
      location: location && geoJsonPoint(location),
      dateCreated: space.createdAt,
      dateModified: latest(space.updatedAt, space.state.changedAt),
    }),
    '@context': FIWARE_CONTEXT,
  };
}

/** The site first, then its zones (outermost first), then its spaces (oldest first). */
export function toFiware(inventory: SiteInventory): SiteFiwareResponse {
  return [siteEntity(inventory), ...inventory.zones.map((zone) => groupEntity(inventory, zone)), ...inventory.spaces.map((space) => spotEntity(inventory, space))];
}
