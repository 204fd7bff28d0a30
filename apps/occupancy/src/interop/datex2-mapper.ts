import {
  Datex2Occupancy,
  Datex2ParkingSite,
  Datex2ParkingSpaceStatus,
  Datex2PublicationHeader,
  GeoPoint,
  SiteDatex2Response,
  SpaceState,
  SpaceView,
} from '@parking/contracts';
import { latest, siteStatus } from './site-status';
import { SiteInventory } from './site-inventory';

/**
 * A site as DATEX II v3 Parking Publications Light, JSON encoding: a ParkingTablePublication
 * describing the site (an `UrbanParkingSite` with one `SingleParkingSpace` per space) and a
 * ParkingStatusPublication with the site's status and each space's.
 *
 * Mapping:
 * - site category → `urbanParkingSiteType`: off_street → offStreetParking, on_street → onStreetParking.
 * - site counts → `parkingOccupancy`: `parkingNumberOfVacantSpaces` = free,
 *   `parkingNumberOfOccupiedSpaces` = occupied + reserved, `parkingOccupancy` = occupied in
 *   percent of the spaces whose state is known and usable; `parkingSiteStatus` closed (all
 *   under maintenance), unknown (none known), full, almostFull (≥ 90 %) or spacesAvailable.
 * - space state → `parkingSpaceStatus`: free → spaceAvailable, occupied → occupied,
 *   reserved → occupied (with the extension `reserved: true`), maintenance → closed,
 *   unknown → unknown.
 * - record ids are the platform's UUIDs, versions its version numbers.
 * - `publicationCreator.country` is `zz` (ISO 3166 "unknown"): a site carries no country.
 */
export const DATEX2_LANG = 'en';
export const DATEX2_UNKNOWN_COUNTRY = 'zz';

const SPACE_STATUS: Record<SpaceState, Datex2ParkingSpaceStatus> = {
  free: 'spaceAvailable',
  occupied: 'occupied',
  reserved: 'occupied',
  maintenance: 'closed',
  unknown: 'unknown',
};

export function datex2SpaceStatus(state: SpaceState): Datex2ParkingSpaceStatus {
  return SPACE_STATUS[state];
}

/** Vacant and occupied spaces, and occupied in percent (one decimal) of both. */
export function datex2Occupancy(vacant: number, occupied: number): Datex2Occupancy {
  const counted = vacant + occupied;
  return {
    parkingNumberOfVacantSpaces: vacant,
    parkingNumberOfOccupiedSpaces: occupied,
    parkingOccupancy: counted === 0 ? 0 : Math.round((occupied / counted) * 1000) / 10,
  };
}

function spaceOccupancy(state: SpaceState): Datex2Occupancy {
  if (state === 'free') return datex2Occupancy(1, 0);
  if (state === 'occupied' || state === 'reserved') return datex2Occupancy(0, 1);
  return datex2Occupancy(0, 0);
}

const location = (point: GeoPoint | null) => (point ? { parkingLocation: { pointByCoordinates: { pointCoordinates: { latitude: point.latitude, longitude: point.longitude } } } } : {});
const name = (value: string) => ({ values: [{ lang: DATEX2_LANG, value }] });
const reference = (id: string, version: number) => ({ targetClass: 'ParkingRecord' as const, id, version: String(version) });

function parkingSite(inventory: SiteInventory): Datex2ParkingSite {
  const { site } = inventory;
  return {
    recordType: 'UrbanParkingSite',
    id: site.id,
    version: String(site.version),
    parkingName: name(site.name),
    parkingNumberOfSpaces: inventory.siteCounts.counts.total,
    ...location(site.location),
    parkingRecordVersionTime: site.updatedAt,
    urbanParkingSiteType: site.category === 'on_street' ? 'onStreetParking' : 'offStreetParking',
    ...(site.address === null ? {} : { parkingAddress: site.address }),
    parkingSpace: inventory.spaces.map((space: SpaceView) => ({
      recordType: 'SingleParkingSpace' as const,
      id: space.id,
      version: String(space.version),
      parkingName: name(space.name ?? space.code),
      parkingNumberOfSpaces: 1,
      ...location(space.location),
      parkingRecordVersionTime: space.updatedAt,
    })),
  };
}

export function toDatex2(inventory: SiteInventory, tenantId: string, now: Date): SiteDatex2Response {
  const header: Datex2PublicationHeader = {
    lang: DATEX2_LANG,
    publicationTime: now.toISOString(),
    publicationCreator: { country: DATEX2_UNKNOWN_COUNTRY, nationalIdentifier: tenantId },
  };
  const { site, siteCounts } = inventory;
  const { counts } = siteCounts;
  return {
    modelBaseVersion: '3',
    parkingTablePublication: {
      ...header,
      parkingTable: [{ id: site.id, version: String(site.version), parkingRecord: [parkingSite(inventory)] }],
    },
    parkingStatusPublication: {
      ...header,
      parkingRecordStatus: [
        {
          recordType: 'ParkingSiteStatus',
          parkingRecordReference: reference(site.id, site.version),
          parkingStatusOriginTime: latest(site.updatedAt, siteCounts.updatedAt),
          parkingOccupancy: datex2Occupancy(counts.free, counts.occupied + counts.reserved),
          parkingSiteStatus: siteStatus(counts),
        },
        ...inventory.spaces.map((space) => ({
          recordType: 'ParkingSpaceStatus' as const,
          parkingRecordReference: reference(space.id, space.version),
          parkingStatusOriginTime: space.state.changedAt,
          parkingOccupancy: spaceOccupancy(space.state.state),
          parkingSpaceStatus: datex2SpaceStatus(space.state.state),
          ...(space.state.state === 'reserved' ? { reserved: true } : {}),
        })),
      ],
    },
  };
}
