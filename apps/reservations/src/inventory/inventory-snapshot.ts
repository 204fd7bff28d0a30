import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OCCUPANCY_INVENTORY_RPC, type InventorySnapshotResponse } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { logRetry, retryUntilStopped } from '@parking/messaging';
import { RpcClient } from '@parking/messaging-nest';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { InventoryStore } from './inventory-store';

/**
 * Fills the inventory read model from occupancy's snapshot at boot, page by page, while the
 * consumers already follow the events: each row applies only over an older version, so the
 * two meet whatever their order. Retried until occupancy answers.
 */
@Injectable()
export class InventorySnapshotLoader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InventorySnapshot');
  private readonly stop = new AbortController();
  private loading?: Promise<void>;
  /** Resolves once a whole snapshot has been applied. */
  loaded: Promise<void>;
  private markLoaded!: () => void;

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {
    this.loaded = new Promise((resolve) => (this.markLoaded = resolve));
  }

  onApplicationBootstrap(): void {
    const startedAt = Date.now();
    // Occupancy may still be starting beside this service.
    const onFailure = (error: unknown) => logRetry(this.logger, startedAt, `inventory snapshot failed, retrying: ${(error as Error).message}`);
    this.loading = retryUntilStopped(() => this.load(), { signal: this.stop.signal, onFailure })
      .then(() => this.markLoaded())
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.loading;
  }

  async load(): Promise<number> {
    let cursor: string | undefined;
    let rows = 0;
    do {
      const page: InventorySnapshotResponse = await this.rpc.call(OCCUPANCY_INVENTORY_RPC.snapshot, cursor ? { cursor } : {});
      rows += await this.apply(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && !this.stop.signal.aborted);
    this.logger.debug(`inventory snapshot applied: ${rows} sites, zones and spaces`);
    return rows;
  }

  private async apply(page: InventorySnapshotResponse): Promise<number> {
    const tenants = new Set([...page.sites, ...page.zones, ...page.spaces].map((row) => row.tenantId));
    for (const tenantId of tenants) {
      await this.db.withTenant(tenantId, async (tx) => {
        for (const site of page.sites) if (site.tenantId === tenantId) await InventoryStore.upsertSite(tx, site);
        for (const zone of page.zones) if (zone.tenantId === tenantId) await InventoryStore.upsertZone(tx, zone);
        const spaces = page.spaces.filter((space) => space.tenantId === tenantId);
        for (const space of spaces) await InventoryStore.upsertSpace(tx, space);
        await InventoryStore.applyStates(
          tx,
          spaces.map((space) => ({ tenantId, spaceId: space.spaceId, siteId: space.siteId, zoneId: space.zoneId, state: space.state, version: space.stateVersion, changedAt: null })),
        );
      });
    }
    return page.sites.length + page.zones.length + page.spaces.length;
  }
}
