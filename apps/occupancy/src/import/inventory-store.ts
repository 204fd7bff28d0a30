import { SiteCategory } from '@parking/contracts';
import { OccupancyTransaction } from '@parking/occupancy/data-access';
import { SiteRow, SpaceRow, ZoneRow } from '../inventory/inventory-events';
import { CheckedInventory } from './inventory-fields';
import { ExistingInventory, InventoryPlan } from './inventory-plan';

/**
 * Reads what the rows may refer to, in a few statements whatever the number of rows: every
 * site of the tenant (plans keep them few), the zones of the sites named, the spaces of those
 * sites whose codes are named, and the devices of the devEUIs named with where they lie.
 */
export async function loadExisting(tx: OccupancyTransaction, checked: CheckedInventory): Promise<ExistingInventory> {
  const sites = await tx.$queryRaw<Array<{ id: string; name: string; category: SiteCategory }>>`
    SELECT id::text, name, category FROM occupancy.sites`;
  const refs = new Set([...checked.zones, ...checked.spaces, ...checked.assignments].flatMap(({ row }) => [row.site, row.site.toLowerCase()]));
  const siteIds = sites.filter((s) => refs.has(s.id) || refs.has(s.name)).map((s) => s.id);
  const codes = [...new Set([...checked.spaces, ...checked.assignments].map(({ row }) => row.code))];
  const devEuis = [...new Set([...checked.spaces.map(({ row }) => row.devEui), ...checked.assignments.map(({ row }) => row.devEui)].filter((d): d is string => !!d))];
  const zones =
    siteIds.length === 0
      ? []
      : await tx.$queryRaw<Array<{ id: string; siteId: string; name: string; path: string[] }>>`
          SELECT id::text, site_id::text AS "siteId", name, path::text[] AS path FROM occupancy.zones WHERE site_id = ANY (${siteIds}::uuid[])`;
  const spaces =
    siteIds.length === 0 || codes.length === 0
      ? []
      : await tx.$queryRaw<Array<{ id: string; siteId: string; code: string; devEui: string | null }>>`
          SELECT sp.id::text, sp.site_id::text AS "siteId", sp.code, ss.dev_eui AS "devEui"
            FROM occupancy.spaces sp LEFT JOIN occupancy.space_sensors ss ON ss.space_id = sp.id
           WHERE sp.site_id = ANY (${siteIds}::uuid[]) AND sp.code = ANY (${codes}::text[])`;
  // A device leaving the registry leaves its space too (SensorAssignments.releaseIfGone), so live devices hold every assignment.
  const sensors =
    devEuis.length === 0
      ? []
      : await tx.$queryRaw<Array<{ dev_eui: string; kind: string; space_id: string | null; code: string | null }>>`
          SELECT se.dev_eui, se.kind, ss.space_id::text, sp.code
            FROM occupancy.sensors se
            LEFT JOIN occupancy.space_sensors ss ON ss.tenant_id = se.tenant_id AND ss.dev_eui = se.dev_eui
            LEFT JOIN occupancy.spaces sp ON sp.id = ss.space_id
           WHERE se.dev_eui = ANY (${devEuis}::text[]) AND NOT se.removed`;
  const assigned = sensors.filter((s) => s.space_id !== null && s.code !== null);
  return {
    sites,
    zones,
    spaces,
    sensors: new Map(sensors.map((s) => [s.dev_eui, { kind: s.kind }])),
    assignedSpaceOf: new Map(assigned.map((a) => [a.dev_eui, { spaceId: a.space_id as string, code: a.code as string }])),
  };
}

/** The rows an import created, as stored (defaults and versions included), for their events. */
export interface WrittenInventory {
  sites: SiteRow[];
  zones: ZoneRow[];
  spaces: SpaceRow[];
}

/**
 * Writes the plan with one statement per table (unnest of arrays), so ten thousand spaces
 * cost what ten do in round trips. Zones go in parents first (the plan's order); each new
 * space starts `unknown`, as a single create does.
 */
export async function writePlan(tx: OccupancyTransaction, tenantId: string, plan: InventoryPlan): Promise<WrittenInventory> {
  const { sites, zones, spaces, assignments } = plan;
  const written: WrittenInventory = { sites: [], zones: [], spaces: [] };
  if (sites.length > 0) {
    written.sites = await tx.$queryRaw<SiteRow[]>`
      INSERT INTO occupancy.sites (id, tenant_id, name, address, latitude, longitude, time_zone, opening_hours, category, heartbeat_timeout_seconds)
      SELECT s.id, ${tenantId}::uuid, s.name, s.address, s.latitude, s.longitude, s.time_zone, s.opening_hours, s.category, s.timeout
        FROM unnest(${sites.map((s) => s.id)}::uuid[], ${sites.map((s) => s.row.name)}::text[], ${sites.map((s) => s.row.address ?? null)}::text[],
                    ${sites.map((s) => s.row.location?.latitude ?? null)}::float8[], ${sites.map((s) => s.row.location?.longitude ?? null)}::float8[],
                    ${sites.map((s) => s.row.timeZone ?? 'UTC')}::text[],
                    ${sites.map((s) => (s.row.openingHours ? JSON.stringify(s.row.openingHours) : null))}::jsonb[],
                    ${sites.map((s) => s.row.category)}::text[], ${sites.map((s) => s.row.heartbeatTimeoutSeconds ?? null)}::int[])
             AS s(id, name, address, latitude, longitude, time_zone, opening_hours, category, timeout)
      RETURNING id::text AS id, tenant_id::text AS "tenantId", name, time_zone AS "timeZone", opening_hours AS "openingHours", version`;
    await tx.$executeRaw`
      INSERT INTO occupancy.site_availability (site_id, tenant_id) SELECT unnest(${sites.map((s) => s.id)}::uuid[]), ${tenantId}::uuid`;
  }
  if (zones.length > 0) {
    // A zone's path is stored as a uuid[]; arrays of arrays do not unnest, so paths travel as text.
    written.zones = await tx.$queryRaw<ZoneRow[]>`
      INSERT INTO occupancy.zones (id, tenant_id, site_id, parent_zone_id, name, kind, path)
      SELECT z.id, ${tenantId}::uuid, z.site_id, z.parent_zone_id, z.name, z.kind, string_to_array(z.path, ',')::uuid[]
        FROM unnest(${zones.map((z) => z.id)}::uuid[], ${zones.map((z) => z.siteId)}::uuid[], ${zones.map((z) => z.parentZoneId)}::uuid[],
                    ${zones.map((z) => z.name)}::text[], ${zones.map((z) => z.kind)}::text[], ${zones.map((z) => z.path.join(','))}::text[])
             WITH ORDINALITY AS z(id, site_id, parent_zone_id, name, kind, path, n)
       ORDER BY z.n
      RETURNING id::text AS id, tenant_id::text AS "tenantId", site_id::text AS "siteId", parent_zone_id::text AS "parentZoneId",
                path::text[] AS path, name, kind, version`;
    await tx.$executeRaw`
      INSERT INTO occupancy.zone_availability (zone_id, site_id, tenant_id)
      SELECT z.id, z.site_id, ${tenantId}::uuid FROM unnest(${zones.map((z) => z.id)}::uuid[], ${zones.map((z) => z.siteId)}::uuid[]) AS z(id, site_id)`;
  }
  if (spaces.length > 0) {
    written.spaces = await tx.$queryRaw<SpaceRow[]>`
      INSERT INTO occupancy.spaces (id, tenant_id, site_id, zone_id, code, name, latitude, longitude, category, type, tags, price_zone)
      SELECT s.id, ${tenantId}::uuid, s.site_id, s.zone_id, s.code, s.name, s.latitude, s.longitude, s.category, s.type, s.tags, s.price_zone
        FROM unnest(${spaces.map((s) => s.id)}::uuid[], ${spaces.map((s) => s.siteId)}::uuid[], ${spaces.map((s) => s.zoneId)}::uuid[],
                    ${spaces.map((s) => s.row.code)}::text[], ${spaces.map((s) => s.row.name ?? null)}::text[],
                    ${spaces.map((s) => s.row.location?.latitude ?? null)}::float8[], ${spaces.map((s) => s.row.location?.longitude ?? null)}::float8[],
                    ${spaces.map((s) => s.category)}::text[], ${spaces.map((s) => s.row.type ?? 'standard')}::text[],
                    ${spaces.map((s) => JSON.stringify(s.row.tags ?? []))}::jsonb[], ${spaces.map((s) => s.row.priceZone ?? null)}::text[])
             AS s(id, site_id, zone_id, code, name, latitude, longitude, category, type, tags, price_zone)
      RETURNING id::text AS id, tenant_id::text AS "tenantId", site_id::text AS "siteId", zone_id::text AS "zoneId", code, name, type,
                price_zone AS "priceZone", version`;
    await tx.$executeRaw`
      INSERT INTO occupancy.space_state (space_id, tenant_id) SELECT unnest(${spaces.map((s) => s.id)}::uuid[]), ${tenantId}::uuid`;
  }
  if (assignments.length > 0) {
    await tx.$executeRaw`
      INSERT INTO occupancy.space_sensors (space_id, tenant_id, dev_eui)
      SELECT a.space_id, ${tenantId}::uuid, a.dev_eui FROM unnest(${assignments.map((a) => a.spaceId)}::uuid[], ${assignments.map((a) => a.devEui)}::text[]) AS a(space_id, dev_eui)`;
  }
  return written;
}
