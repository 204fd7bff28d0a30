import { AvailabilityCounts, SiteView, SpaceView, ZoneKind } from '@parking/contracts';
import { OccupancyTransaction } from '@parking/occupancy/data-access';
import { NotFoundError } from '@parking/problem-details';
import { findSite } from '../sites/sites.use-cases';
import { siteView } from '../sites/site-view';
import { SPACE_ROW_SELECT, SpaceRow, spaceView } from '../spaces/space-view';

export interface CountsAt {
  counts: AvailabilityCounts;
  /** RFC 3339: when these counts last changed. */
  updatedAt: string;
}

export interface ZoneWithCounts extends CountsAt {
  id: string;
  parentZoneId: string | null;
  name: string;
  kind: ZoneKind;
}

/** Everything the interoperability views show of one site, read in one transaction. */
export interface SiteInventory {
  site: SiteView;
  siteCounts: CountsAt;
  zones: ZoneWithCounts[];
  spaces: SpaceView[];
}

interface CountRow {
  free: number;
  occupied: number;
  reserved: number;
  maintenance: number;
  unknown: number;
  total: number | null;
  updated_at: Date;
}

function countsAt(row: CountRow): CountsAt {
  const { free, occupied, reserved, maintenance, unknown } = row;
  return { counts: { free, occupied, reserved, maintenance, unknown, total: row.total ?? 0 }, updatedAt: row.updated_at.toISOString() };
}

/** The site of the caller's tenant (404 otherwise) with its zones, counts and spaces. */
export async function readSiteInventory(tx: OccupancyTransaction, siteId: string): Promise<SiteInventory> {
  const site = siteView(await findSite(tx, siteId));
  const [siteCounts] = await tx.$queryRaw<CountRow[]>`
    SELECT free, occupied, reserved, maintenance, unknown, total, updated_at FROM occupancy.site_availability WHERE site_id = ${siteId}::uuid`;
  if (!siteCounts) throw new NotFoundError('Site', siteId);
  const zones = await tx.$queryRaw<Array<CountRow & { zone_id: string; parent_zone_id: string | null; name: string; kind: ZoneKind }>>`
    SELECT z.id::text AS zone_id, z.parent_zone_id::text, z.name, z.kind, a.free, a.occupied, a.reserved, a.maintenance, a.unknown, a.total, a.updated_at
      FROM occupancy.zones z JOIN occupancy.zone_availability a ON a.zone_id = z.id
     WHERE z.site_id = ${siteId}::uuid
     ORDER BY array_length(z.path, 1), z.created_at, z.id`;
  const spaces = await tx.$queryRaw<SpaceRow[]>`${SPACE_ROW_SELECT} WHERE sp.site_id = ${siteId}::uuid ORDER BY sp.created_at, sp.id`;
  return {
    site,
    siteCounts: countsAt(siteCounts),
    zones: zones.map((zone) => ({ id: zone.zone_id, parentZoneId: zone.parent_zone_id, name: zone.name, kind: zone.kind, ...countsAt(zone) })),
    spaces: spaces.map(spaceView),
  };
}
