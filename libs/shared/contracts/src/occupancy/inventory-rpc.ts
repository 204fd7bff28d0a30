import type { SiteUpsertedV1Data } from '../events/occupancy/site-upserted.v1';
import type { SpaceUpsertedV1Data } from '../events/occupancy/space-upserted.v1';
import type { ZoneUpsertedV1Data } from '../events/occupancy/zone-upserted.v1';
import { PageQueryOf } from '../fields/paging';
import { defineRpc } from '../rpc-contract';
import type { SpaceState } from './space-states';

/** Rows (sites, zones and spaces together) a snapshot page holds: 500 by default, at most 2000. */
export const INVENTORY_SNAPSHOT_PAGE_DEFAULT = 500;
export const INVENTORY_SNAPSHOT_PAGE_MAX = 2_000;

/**
 * One page of every tenant's inventory. Pass the previous page's `nextCursor` as `cursor`;
 * `limit` counts the rows of the page, sites, zones and spaces together.
 */
export class InventorySnapshotRequest extends PageQueryOf(INVENTORY_SNAPSHOT_PAGE_MAX, INVENTORY_SNAPSHOT_PAGE_DEFAULT) {}

/** A site as `occupancy.site.upserted.v1` carries it. */
export type InventorySite = SiteUpsertedV1Data;
/** A zone as `occupancy.zone.upserted.v1` carries it. */
export type InventoryZone = ZoneUpsertedV1Data;
/** A space as `occupancy.space.upserted.v1` carries it, with its live state and the state's version (`occupancy.space.state_changed.v1`'s). */
export interface InventorySpace extends SpaceUpsertedV1Data {
  state: SpaceState;
  stateVersion: number;
}

/**
 * Pages run over all tenants in one stable order: by site id, each site followed by its zones
 * then its spaces (each by id). A page ends after `limit` rows, so a large site may continue
 * on the next page; its zones and spaces name their `siteId`. Each page is read in one
 * statement; pages are not one snapshot, so a reader follows the inventory events from
 * before its first page (from the first page's `streamSequence` + 1 on the OCCUPANCY stream)
 * and keeps, for each row, whichever of event and snapshot has the greater `version`.
 */
export class InventorySnapshotResponse {
  sites!: InventorySite[];
  zones!: InventoryZone[];
  spaces!: InventorySpace[];
  /** Pass it as `cursor` for the next page; null on the last. */
  nextCursor!: string | null;
  /** When this page was read (RFC 3339). */
  takenAt!: string;
  /** The OCCUPANCY stream sequence this page reflects: every event at or below it is already in it. */
  streamSequence!: number;
}

/**
 * Occupancy's inventory for other services' read models (the reservations service fills
 * its copy at boot, then follows `occupancy.site.>`, `occupancy.zone.>`, `occupancy.space.>`).
 * Answers the calling service only, for no tenant in particular.
 */
export const OCCUPANCY_INVENTORY_RPC = {
  snapshot: defineRpc('rpc.occupancy.v1.inventory.snapshot', InventorySnapshotRequest, InventorySnapshotResponse, { access: 'service', callers: ['reservations'] }),
} as const;
