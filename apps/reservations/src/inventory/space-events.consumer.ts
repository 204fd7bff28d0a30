import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { SensorArrivals } from '../lifecycle/sensor-arrivals';
import { STATES_DURABLE } from '../lifecycle/sensor-backlog';
import { InventoryStore } from './inventory-store';

/**
 * A check-in is judged at the reading's own time, whenever the event is taken, so a batch may
 * wait half a second for more: a steady stream of uplinks then costs two transactions a second
 * instead of one every few events.
 */
const LINGER_MS = 500;

type SpaceEvent = OccupancyEvents.SpaceUpsertedV1Data | OccupancyEvents.SpaceRemovedV1Data | OccupancyEvents.SpaceStateChangedV1Data;

/**
 * Spaces and their live state; a state change may check a booking in or complete it. Every
 * uplink that changes a space brings one event, so they are taken a batch at a time, one
 * transaction per tenant with an inbox row per event: the spaces' newest states are written in
 * one statement, and only the changes of spaces with an open booking are judged, each space's
 * in stream order.
 */
@Injectable()
export class SpaceEventsConsumer extends TenantBatchConsumer<SpaceEvent, TemplateSqlClient> {
  protected readonly durable: TenantBatchDurable<SpaceEvent, TemplateSqlClient>;

  constructor(
    private readonly arrivals: SensorArrivals,
    @Inject(RAW_TENANT_DATABASE) db: TenantDatabase<TemplateSqlClient>,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    ns: Namespace,
  ) {
    super();
    this.durable = new TenantBatchDurable({
      nc,
      js,
      ns,
      db,
      service: 'reservations',
      inboxSchema: 'reservations',
      stream: STREAMS.OCCUPANCY,
      durable: STATES_DURABLE,
      filterSubject: OccupancyEvents.SPACE_EVENTS_FILTER,
      description: "Spaces and their states for reservations' inventory and check-ins",
      batchSize: 256,
      lingerMs: LINGER_MS,
      eventTypes: OccupancyEvents.SPACE_EVENTS,
      apply: (tx, _tenantId, items) => this.apply(tx, items),
    });
  }

  private async apply(tx: TemplateSqlClient, work: TenantBatchItem<SpaceEvent>[]): Promise<void> {
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
