import { IngestEvents } from '@parking/contracts';
import type { SqlClient, TenantDatabase } from '@parking/database';
import { BatchHandler, BatchMessage, BatchOutcome, EventValidationError, errorMessage, MessagingLogger, OutboxWriter, silentMessagingLogger } from '@parking/messaging';
import { OrphanRecorder } from '../orphans/orphan-recorder';
import { readRawWebhook, RawWebhook } from './raw-webhook';
import { TenantBatch } from './tenant-batch';
import { DeviceRoutes } from './uplink-routing';

/** Tenant groups of one batch handled at once (each holds a pooled connection). */
const PARALLEL_GROUPS = 4;

interface Slot {
  index: number;
  webhook: RawWebhook;
}

export interface UplinkPipelineOptions {
  /** Distinct orphan devEUIs recorded per source (default ORPHAN_DEVEUIS_PER_SOURCE). */
  orphanDevEuisPerSource?: number;
}

/**
 * Raw ChirpStack webhooks to uplinks and device events, a batch at a time: one transaction
 * per tenant of the batch, holding the dedup receipts, the device updates and the outbox
 * rows. When a tenant's transaction fails, its messages are tried one transaction each, so
 * one bad message cannot hold back the rest.
 */
export class UplinkPipeline {
  private readonly orphans: OrphanRecorder;

  constructor(
    private readonly db: TenantDatabase<SqlClient>,
    private readonly outbox: OutboxWriter,
    private readonly logger: MessagingLogger = silentMessagingLogger,
    options: UplinkPipelineOptions = {},
  ) {
    this.orphans = new OrphanRecorder(outbox, { maxDevEuisPerSource: options.orphanDevEuisPerSource, logger });
  }

  readonly handle: BatchHandler = async (batch) => {
    const outcomes: BatchOutcome[] = batch.map(() => ({ kind: 'ack' }));
    const slots: Slot[] = [];
    batch.forEach((message: BatchMessage, index) => {
      const read = readRawWebhook(message);
      if (read.ok) slots.push({ index, webhook: read.webhook });
      else outcomes[index] = { kind: 'poison', reason: read.reason };
    });
    let groups: Map<string, Slot[]>;
    try {
      groups = await this.groupByTenant(slots);
    } catch (error) {
      for (const slot of slots) outcomes[slot.index] = { kind: 'retry', error };
      return outcomes;
    }
    const queue = [...groups];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [tenantId, group] = next;
        const results = await this.runGroup(tenantId, group);
        group.forEach((slot, i) => (outcomes[slot.index] = results[i]));
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_GROUPS, queue.length) }, worker));
    return outcomes;
  };

  /**
   * A tenant's events go to that tenant's transaction (TenantBatch checks the application).
   * Platform-signed events go to the tenant whose device they reach by devEUI and application
   * (uplink-routing.ts; one lookup for the batch); the rest form the
   * IngestEvents.PLATFORM_TENANT_ID group, all orphans.
   */
  private async groupByTenant(slots: Slot[]): Promise<Map<string, Slot[]>> {
    const unresolved = slots.filter((s) => !s.webhook.tenantId).map((s) => s.webhook);
    const routes = unresolved.length > 0 ? await this.db.asSystem('device-lookup', (tx) => DeviceRoutes.lookup(tx, unresolved)) : undefined;
    const groups = new Map<string, Slot[]>();
    for (const slot of slots) {
      const tenantId = slot.webhook.tenantId ?? routes?.tenantOf(slot.webhook) ?? IngestEvents.PLATFORM_TENANT_ID;
      const group = groups.get(tenantId);
      if (group) group.push(slot);
      else groups.set(tenantId, [slot]);
    }
    return groups;
  }

  private async runGroup(tenantId: string, group: Slot[]): Promise<BatchOutcome[]> {
    try {
      return await this.transaction(tenantId, group.map((s) => s.webhook));
    } catch (error) {
      if (group.length === 1) return [this.failure(error)];
      this.logger.warn({ tenantId, size: group.length, err: errorMessage(error) }, 'tenant batch failed; handling its messages one by one');
    }
    const outcomes: BatchOutcome[] = [];
    for (const slot of group) {
      try {
        outcomes.push(...(await this.transaction(tenantId, [slot.webhook])));
      } catch (error) {
        outcomes.push(this.failure(error));
      }
    }
    return outcomes;
  }

  private transaction(tenantId: string, webhooks: RawWebhook[]): Promise<BatchOutcome[]> {
    return this.db.withTenant(tenantId, (tx) => new TenantBatch(tx, tenantId, this.outbox, this.orphans).run(webhooks));
  }

  /** An event our own schema refuses can never be published: poison. Anything else may pass. */
  private failure(error: unknown): BatchOutcome {
    if (error instanceof EventValidationError) return { kind: 'poison', reason: error.message };
    return { kind: 'retry', error };
  }
}
