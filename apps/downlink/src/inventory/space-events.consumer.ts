import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, OccupancyEvents, STREAMS } from '@parking/contracts';
import type { DownlinkDatabase, DownlinkTransaction } from '@parking/downlink/data-access';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { SignPlanner } from '../queue/sign-planner';
import { EVENT_LINGER_MS } from './event-linger';

export const SPACES_DURABLE = 'downlink-spaces';

type SpaceEvent = OccupancyEvents.SpaceUpsertedV1Data | OccupancyEvents.SpaceRemovedV1Data | OccupancyEvents.SpaceStateChangedV1Data;

/**
 * Keeps downlink.spaces in step with occupancy's spaces: where each lies, its type (a policy may
 * colour accessible or EV bays apart) and its state. Fields and state carry versions of their
 * own, so each applies only over an older one, in whichever order they arrive; a state that
 * arrives before its space leaves a row the upsert completes. Every uplink that changes a space
 * brings one event, so they are taken a batch at a time, one transaction per tenant with an
 * inbox row per event: the spaces' newest states go in one statement, and the bay lights of the
 * spaces that changed are planned once, in one query.
 */
@Injectable()
export class SpaceEventsConsumer extends TenantBatchConsumer<SpaceEvent, DownlinkTransaction> {
  protected readonly durable: TenantBatchDurable<SpaceEvent, DownlinkTransaction>;

  constructor(
    private readonly planner: SignPlanner,
    @Inject(TENANT_DATABASE) db: DownlinkDatabase,
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
      service: 'downlink',
      inboxSchema: 'downlink',
      stream: STREAMS.OCCUPANCY,
      durable: SPACES_DURABLE,
      filterSubject: OccupancyEvents.SPACE_EVENTS_FILTER,
      description: 'Spaces and their states to their bay lights',
      batchSize: 256,
      lingerMs: EVENT_LINGER_MS,
      eventTypes: OccupancyEvents.SPACE_EVENTS,
      apply: (tx, _tenantId, items) => this.apply(tx, items),
    });
  }

  private async apply(tx: DownlinkTransaction, work: TenantBatchItem<SpaceEvent>[]): Promise<void> {
    const changed = new Set<string>();
    const newestStates = new Map<string, OccupancyEvents.SpaceStateChangedV1Data>();
    for (const { type, data } of work) {
      if (type === OccupancyEvents.SPACE_UPSERTED_V1) {
        const space = data as OccupancyEvents.SpaceUpsertedV1Data;
        if (await this.upsert(tx, space)) changed.add(space.spaceId);
      } else if (type === OccupancyEvents.SPACE_REMOVED_V1) {
        await this.remove(tx, data as OccupancyEvents.SpaceRemovedV1Data);
      } else {
        const state = data as OccupancyEvents.SpaceStateChangedV1Data;
        if ((newestStates.get(state.spaceId)?.version ?? -1) < state.version) newestStates.set(state.spaceId, state);
      }
    }
    for (const spaceId of await this.applyStates(tx, [...newestStates.values()])) changed.add(spaceId);
    if (changed.size > 0) await this.planner.planSpaces(tx, [...changed]);
  }

  private async upsert(tx: DownlinkTransaction, space: OccupancyEvents.SpaceUpsertedV1Data): Promise<boolean> {
    const changed = await tx.$executeRaw`
      INSERT INTO downlink.spaces AS s (id, tenant_id, site_id, zone_id, type, version)
      VALUES (${space.spaceId}::uuid, ${space.tenantId}::uuid, ${space.siteId}::uuid, ${space.zoneId}::uuid, ${space.type}, ${space.version}::int)
      ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, zone_id = EXCLUDED.zone_id, type = EXCLUDED.type, version = EXCLUDED.version, updated_at = now()
       WHERE NOT s.removed AND s.version < EXCLUDED.version`;
    return changed > 0;
  }

  private async remove(tx: DownlinkTransaction, space: OccupancyEvents.SpaceRemovedV1Data): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO downlink.spaces (id, tenant_id, site_id, removed) VALUES (${space.spaceId}::uuid, ${space.tenantId}::uuid, ${space.siteId}::uuid, true)
      ON CONFLICT (id) DO UPDATE SET removed = true, updated_at = now()`;
  }

  /** Each space's newest state over an older one, in one statement; answers the spaces it changed. */
  private async applyStates(tx: DownlinkTransaction, states: OccupancyEvents.SpaceStateChangedV1Data[]): Promise<string[]> {
    if (states.length === 0) return [];
    // In one order, so concurrent replicas never deadlock on two spaces.
    states.sort((a, b) => a.spaceId.localeCompare(b.spaceId));
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO downlink.spaces AS s (id, tenant_id, site_id, zone_id, state, state_version)
      SELECT * FROM unnest(${states.map((c) => c.spaceId)}::uuid[], ${states.map((c) => c.tenantId)}::uuid[], ${states.map((c) => c.siteId)}::uuid[],
                           ${states.map((c) => c.zoneId)}::uuid[], ${states.map((c) => c.to)}::text[], ${states.map((c) => c.version)}::bigint[])
      ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, state_version = EXCLUDED.state_version, updated_at = now()
       WHERE NOT s.removed AND s.state_version < EXCLUDED.state_version
      RETURNING s.id::text`;
    return rows.map((row) => row.id);
  }
}
