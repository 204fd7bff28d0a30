import type { OccupancyEvents, SpaceState } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';

/** What occupancy announces of a site, zone or space: its events and its snapshot carry the same. */
export type SiteRecord = OccupancyEvents.SiteUpsertedV1Data;
export type ZoneRecord = OccupancyEvents.ZoneUpsertedV1Data;
export type SpaceRecord = OccupancyEvents.SpaceUpsertedV1Data;
export interface SpaceStateRecord {
  tenantId: string;
  spaceId: string;
  siteId: string;
  zoneId: string | null;
  state: SpaceState;
  version: number;
  /** Null from a snapshot, which does not say when. */
  changedAt: string | null;
}

/**
 * The read model of occupancy's inventory. Events and snapshot rows may arrive in any order
 * and more than once: each row applies only over an older version, and a removal is a
 * tombstone (a later, replayed upsert of the same version changes nothing). A state that
 * arrives before its space leaves a placeholder the upsert fills in.
 */
export const InventoryStore = {
  async upsertSite(tx: TemplateSqlClient, site: SiteRecord): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO reservations.sites (id, tenant_id, name, time_zone, opening_hours, version, synced_at)
      VALUES (${site.siteId}::uuid, ${site.tenantId}::uuid, ${site.name}, ${site.timeZone}, ${site.openingHours === null ? null : JSON.stringify(site.openingHours)}::jsonb, ${site.version}::int, now())
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, opening_hours = EXCLUDED.opening_hours,
             version = EXCLUDED.version, synced_at = now()
       WHERE reservations.sites.version < EXCLUDED.version AND reservations.sites.removed_at IS NULL`;
  },

  async upsertZone(tx: TemplateSqlClient, zone: ZoneRecord): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO reservations.zones (id, tenant_id, site_id, path, name, version, synced_at)
      VALUES (${zone.zoneId}::uuid, ${zone.tenantId}::uuid, ${zone.siteId}::uuid, ${zone.path}::uuid[], ${zone.name}, ${zone.version}::int, now())
      ON CONFLICT (id) DO UPDATE SET path = EXCLUDED.path, name = EXCLUDED.name, version = EXCLUDED.version, synced_at = now()
       WHERE reservations.zones.version < EXCLUDED.version AND reservations.zones.removed_at IS NULL`;
  },

  async upsertSpace(tx: TemplateSqlClient, space: SpaceRecord): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO reservations.spaces (id, tenant_id, site_id, zone_id, code, name, type, price_zone, version, synced_at)
      VALUES (${space.spaceId}::uuid, ${space.tenantId}::uuid, ${space.siteId}::uuid, ${space.zoneId}::uuid, ${space.code}, ${space.name},
              ${space.type}, ${space.priceZone}, ${space.version}::int, now())
      ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, zone_id = EXCLUDED.zone_id, code = EXCLUDED.code, name = EXCLUDED.name,
             type = EXCLUDED.type, price_zone = EXCLUDED.price_zone, version = EXCLUDED.version, synced_at = now()
       WHERE reservations.spaces.version < EXCLUDED.version AND reservations.spaces.removed_at IS NULL`;
  },

  /** Spaces' states, each over an older one, in one statement (the newest of each space counts). */
  async applyStates(tx: TemplateSqlClient, states: readonly SpaceStateRecord[]): Promise<void> {
    const newest = new Map<string, SpaceStateRecord>();
    for (const state of states) if ((newest.get(state.spaceId)?.version ?? -1) < state.version) newest.set(state.spaceId, state);
    if (newest.size === 0) return;
    // In one order, so concurrent writers never deadlock on two spaces.
    const rows = [...newest.values()].sort((a, b) => a.spaceId.localeCompare(b.spaceId));
    // version 0 and code '': a placeholder until the space's own upsert (any version ≥ 1) arrives.
    await tx.$executeRaw`
      INSERT INTO reservations.spaces (id, tenant_id, site_id, zone_id, code, type, version, state, state_version, state_changed_at)
      SELECT s.id, s.tenant_id, s.site_id, s.zone_id, '', 'standard', 0, s.state, s.state_version, s.changed_at
        FROM unnest(${rows.map((r) => r.spaceId)}::uuid[], ${rows.map((r) => r.tenantId)}::uuid[], ${rows.map((r) => r.siteId)}::uuid[],
                    ${rows.map((r) => r.zoneId)}::uuid[], ${rows.map((r) => r.state)}::text[], ${rows.map((r) => r.version)}::int[],
                    ${rows.map((r) => r.changedAt)}::timestamptz[]) AS s(id, tenant_id, site_id, zone_id, state, state_version, changed_at)
      ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, state_version = EXCLUDED.state_version, state_changed_at = EXCLUDED.state_changed_at
       WHERE reservations.spaces.state_version < EXCLUDED.state_version`;
  },

  async remove(tx: TemplateSqlClient, kind: 'site' | 'zone' | 'space', id: string, tenantId: string, removedAt: string): Promise<void> {
    // A removal of something never seen is remembered too, so its late upsert does not bring it back.
    if (kind === 'site') {
      await tx.$executeRaw`
        INSERT INTO reservations.sites (id, tenant_id, name, time_zone, version, removed_at) VALUES (${id}::uuid, ${tenantId}::uuid, '', 'UTC', 2147483647, ${removedAt}::timestamptz)
        ON CONFLICT (id) DO UPDATE SET removed_at = COALESCE(reservations.sites.removed_at, EXCLUDED.removed_at)`;
    } else if (kind === 'zone') {
      await tx.$executeRaw`
        INSERT INTO reservations.zones (id, tenant_id, site_id, path, name, version, removed_at)
        VALUES (${id}::uuid, ${tenantId}::uuid, ${id}::uuid, ARRAY[${id}::uuid], '', 2147483647, ${removedAt}::timestamptz)
        ON CONFLICT (id) DO UPDATE SET removed_at = COALESCE(reservations.zones.removed_at, EXCLUDED.removed_at)`;
    } else {
      await tx.$executeRaw`
        INSERT INTO reservations.spaces (id, tenant_id, site_id, code, type, version, removed_at)
        VALUES (${id}::uuid, ${tenantId}::uuid, ${id}::uuid, '', 'standard', 2147483647, ${removedAt}::timestamptz)
        ON CONFLICT (id) DO UPDATE SET removed_at = COALESCE(reservations.spaces.removed_at, EXCLUDED.removed_at)`;
    }
  },
};
