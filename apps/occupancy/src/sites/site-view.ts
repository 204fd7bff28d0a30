import { OpeningHours, SiteCategory, SiteView, ZoneKind, ZoneView } from '@parking/contracts';
import { Site, Zone } from '@parking/occupancy/data-access';

export function siteView(row: Site): SiteView {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    location: row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude },
    timeZone: row.timeZone,
    openingHours: (row.openingHours as OpeningHours | null) ?? null,
    category: row.category as SiteCategory,
    heartbeatTimeoutSeconds: row.heartbeatTimeoutSeconds,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function zoneView(row: Zone): ZoneView {
  return {
    id: row.id,
    siteId: row.siteId,
    parentZoneId: row.parentZoneId,
    name: row.name,
    kind: row.kind as ZoneKind,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
