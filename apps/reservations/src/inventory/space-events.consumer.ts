import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { claimInboxEntries, handleByTenant, type BatchConsumerRunner, type BatchMessage, type BatchOutcome, type TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, startBatchDurable } from '@parking/messaging-nest';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { SensorArrivals } from '../lifecycle/sensor-arrivals';
import { STATES_DURABLE } from '../lifecycle/sensor-backlog';
import { InventoryStore } from './inventory-store';

export const SPACES_FILTER = 'occupancy.space.>';
const BATCH_SIZE = 256;
const SPACE_EVENTS = [OccupancyEvents.SPACE_UPSERTED_V1, OccupancyEvents.SPACE_REMOVED_V1, OccupancyEvents.SPACE_STATE_CHANGED_V1];

type SpaceEvent = OccupancyEvents.SpaceUpsertedV1Data | OccupancyEvents.SpaceRemovedV1Data | OccupancyEvents.SpaceStateChangedV1Data;

/**
 * Spaces and their live state; a state change may check a booking in or complete it. Every
 * uplink that changes a space brings one event, so they are taken a batch at a time, one
 * transaction per tenant with an inbox row per event: the spaces' newest states are written in
 * one statement, and only the changes of spaces with an open booking are judged, each space's
 * in stream order.
 */
@Injectable()
export class SpaceEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SpaceEvents');
  private runner?: BatchConsumerRunner;

  constructor(
    private readonly arrivals: SensorArrivals,
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    private readonly ns: Namespace,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.runner = await startBatchDurable({
      nc: this.nc,
      js: this.js,
      ns: this.ns,
      service: 'reservations',
      stream: STREAMS.OCCUPANCY,
      durable: STATES_DURABLE,
      filterSubject: SPACES_FILTER,
      description: "Spaces and their states for reservations' inventory and check-ins",
      batchSize: BATCH_SIZE,
      handler: (batch) => this.handle(batch),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
  }

  handle(batch: readonly BatchMessage[]): Promise<BatchOutcome[]> {
    return handleByTenant<SpaceEvent>(
      batch,
      SPACE_EVENTS,
      (tenantId, items) => this.db.withTenant(tenantId, (tx) => this.applyTenantBatch(tx, tenantId, items)),
      (tenantId, count, error) => this.logger.warn(`space events of tenant ${tenantId} (${count}) failed: ${(error as Error).message}`),
    );
  }

  private async applyTenantBatch(tx: TemplateSqlClient, tenantId: string, items: TenantBatchItem<SpaceEvent>[]): Promise<void> {
    const work = await claimInboxEntries(tx, 'reservations', STATES_DURABLE, tenantId, items);
    const changes: OccupancyEvents.SpaceStateChangedV1Data[] = [];
    // Upserts and removals first: each applies only over an older version, so their order against the states does not matter.
    for (const item of work) {
      if (item.type === OccupancyEvents.SPACE_UPSERTED_V1) await InventoryStore.upsertSpace(tx, item.data as OccupancyEvents.SpaceUpsertedV1Data);
      else if (item.type === OccupancyEvents.SPACE_REMOVED_V1) {
        const data = item.data as OccupancyEvents.SpaceRemovedV1Data;
        await InventoryStore.remove(tx, 'space', data.spaceId, data.tenantId, data.removedAt);
      } else changes.push(item.data as OccupancyEvents.SpaceStateChangedV1Data);
    }
    await InventoryStore.applyStates(
      tx,
      changes.map((c) => ({ tenantId: c.tenantId, spaceId: c.spaceId, siteId: c.siteId, zoneId: c.zoneId, state: c.to, version: c.version, changedAt: c.changedAt })),
    );
    await this.arrivals.applyAll(tx, changes);
  }
}
