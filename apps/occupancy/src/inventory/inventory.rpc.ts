import { Controller } from '@nestjs/common';
import { INVENTORY_SNAPSHOT_PAGE_DEFAULT, InventorySnapshotRequest, InventorySnapshotResponse, OCCUPANCY_INVENTORY_RPC } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { InventorySnapshot } from './inventory-snapshot';

/** Answers services only (the contract names them); no tenant's principal is involved. */
@Controller()
export class InventoryRpc {
  constructor(private readonly snapshot: InventorySnapshot) {}

  @RpcHandler(OCCUPANCY_INVENTORY_RPC.snapshot)
  page(request: InventorySnapshotRequest): Promise<InventorySnapshotResponse> {
    return this.snapshot.page({ cursor: request.cursor, limit: request.limit ?? INVENTORY_SNAPSHOT_PAGE_DEFAULT });
  }
}
