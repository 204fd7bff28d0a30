import { Inject, Injectable } from '@nestjs/common';
import { InventorySnapshotResponse, Namespace, SpaceState, STREAMS } from '@parking/contracts';
import { OccupancyDatabase, OccupancyTransaction } from '@parking/occupancy/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { decodeInventoryCursor, encodeInventoryCursor, INVENTORY_KINDS, InventoryCursor, InventoryKindOrder } from './inventory-cursor';
import { SiteRow, siteUpserted, spaceUpserted, zoneUpserted } from './inventory-events';

/** One row of occupancy.inventory_snapshot: the columns of its kind are set, the others null. */
interface SnapshotRow {
  kind_order: InventoryKindOrder;
  id: string;
  tenant_id: string;
  site_id: string;
  name: string | null;
  version: number;
  time_zone: string | null;
  opening_hours: SiteRow['openingHours'];
  parent_zone_id: string | null;
  path: string[] | null;
  zone_kind: string | null;
  zone_id: string | null;
  code: string | null;
  space_type: string | null;
  price_zone: string | null;
  state: SpaceState | null;
  state_version: bigint | null;
}

function readPage(tx: OccupancyTransaction, after: InventoryCursor | undefined, rows: number): Promise<SnapshotRow[]> {
  return tx.$queryRaw<SnapshotRow[]>`
    SELECT kind_order, id::text, tenant_id::text, site_id::text, name, version, time_zone, opening_hours, parent_zone_id::text,
           path::text[] AS path, zone_kind, zone_id::text, code, space_type, price_zone, state, state_version
      FROM occupancy.inventory_snapshot(${after?.siteId ?? null}::uuid, ${after?.kind ?? null}::int, ${after?.id ?? null}::uuid, ${rows}::int)`;
}

/**
 * Every tenant's sites, zones and spaces with their states, a page at a time, for the read
 * models of other services. Reads on the system path through occupancy.inventory_snapshot
 * (SECURITY DEFINER), one statement per page.
 */
@Injectable()
export class InventorySnapshot {
  private readonly occupancyStream: string;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    namespace: Namespace,
  ) {
    this.occupancyStream = namespace.stream(STREAMS.OCCUPANCY.name);
  }

  async page(query: { cursor?: string; limit: number }): Promise<InventorySnapshotResponse> {
    const after = decodeInventoryCursor(query.cursor);
    const takenAt = new Date().toISOString();
    const { position, rows } = await this.db.asSystem('inventory-snapshot', async (tx) => {
      // Read before the rows: every event at or below the position committed its change first.
      const [stream] = await tx.$queryRaw<Array<{ seq: bigint }>>`
        SELECT seq FROM occupancy.stream_positions WHERE stream = ${this.occupancyStream}`;
      return { position: Number(stream?.seq ?? 0), rows: await readPage(tx, after, query.limit + 1) };
    });
    const held = rows.slice(0, query.limit);
    const last = held.at(-1);
    const response: InventorySnapshotResponse = {
      sites: [],
      zones: [],
      spaces: [],
      nextCursor: rows.length > query.limit && last ? encodeInventoryCursor({ siteId: last.site_id, kind: last.kind_order, id: last.id }) : null,
      takenAt,
      streamSequence: position,
    };
    for (const row of held) {
      const common = { id: row.id, tenantId: row.tenant_id, name: row.name as string, version: row.version };
      if (row.kind_order === INVENTORY_KINDS.site) {
        response.sites.push(siteUpserted({ ...common, timeZone: row.time_zone as string, openingHours: row.opening_hours }));
      } else if (row.kind_order === INVENTORY_KINDS.zone) {
        const zone = { ...common, siteId: row.site_id, parentZoneId: row.parent_zone_id, path: row.path ?? [], kind: row.zone_kind as string };
        response.zones.push(zoneUpserted(zone));
      } else {
        const space = spaceUpserted({ ...common, name: row.name, siteId: row.site_id, zoneId: row.zone_id, code: row.code as string, type: row.space_type as string, priceZone: row.price_zone });
        response.spaces.push({ ...space, state: row.state as SpaceState, stateVersion: Number(row.state_version) });
      }
    }
    return response;
  }
}
