import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, OccupancyEvents, STREAMS } from '@parking/contracts';
import { TENANT_DATABASE } from '@parking/service-runtime';
import type { DownlinkDatabase, DownlinkTransaction } from '@parking/downlink/data-access';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import { SignPlanner } from '../queue/sign-planner';
import { EVENT_LINGER_MS } from './event-linger';

export const AVAILABILITY_DURABLE = 'downlink-availability';
export const AVAILABILITY_FILTER = `${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}.>`;
const BATCH_SIZE = 256;

type Change = OccupancyEvents.ZoneAvailabilityChangedV1Data;

/**
 * Keeps each zone's and site's free count, as occupancy announces it, and shows it on their
 * count signs. Every uplink that changes a space moves its zone's and its site's counts, so the
 * events come in a stream: they are taken a batch at a time, one transaction per tenant, each
 * with an inbox row per event; only the newest count per zone or site is applied (a count
 * replaces the one before), and its signs are planned once.
 */
@Injectable()
export class AvailabilityEventsConsumer extends TenantBatchConsumer<Change, DownlinkTransaction> {
  protected readonly durable: TenantBatchDurable<Change, DownlinkTransaction>;

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
      durable: AVAILABILITY_DURABLE,
      filterSubject: AVAILABILITY_FILTER,
      description: "Zones' and sites' free counts to their count signs",
      batchSize: BATCH_SIZE,
      lingerMs: EVENT_LINGER_MS,
      eventTypes: [OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1],
      apply: (tx, _tenantId, items) => this.applyTenantBatch(tx, items),
    });
  }

  private async applyTenantBatch(tx: DownlinkTransaction, work: TenantBatchItem<Change>[]): Promise<void> {
    const newest = new Map<string, Change>();
    for (const { data } of work) {
      const scopeId = data.zoneId ?? data.siteId;
      const seen = newest.get(scopeId);
      if (!seen || seen.version < data.version) newest.set(scopeId, data);
    }
    // In one order, so concurrent replicas never deadlock on two scopes.
    for (const scopeId of [...newest.keys()].sort()) await this.apply(tx, newest.get(scopeId) as Change);
  }

  /** One count over an older one (whichever order they come in), then the signs that show it. */
  async apply(tx: DownlinkTransaction, change: Change): Promise<void> {
    const scopeId = change.zoneId ?? change.siteId;
    const changed = await tx.$executeRaw`
      INSERT INTO downlink.availability AS a (tenant_id, site_id, scope_id, free, total, version)
      VALUES (${change.tenantId}::uuid, ${change.siteId}::uuid, ${scopeId}::uuid, ${change.counts.free}::int, ${change.counts.total}::int, ${change.version}::bigint)
      ON CONFLICT (tenant_id, scope_id) DO UPDATE SET free = EXCLUDED.free, total = EXCLUDED.total, version = EXCLUDED.version, updated_at = now()
       WHERE a.version < EXCLUDED.version`;
    if (changed > 0) await this.planner.planScope(tx, scopeId);
  }
}
