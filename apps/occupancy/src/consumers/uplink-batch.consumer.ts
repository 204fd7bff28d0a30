import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IngestEvents, Namespace, STREAMS, Uplink } from '@parking/contracts';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import { OccupancySql } from '@parking/occupancy/data-access';
import { SensorReading } from '@parking/occupancy/state-machine';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import type { TenantDatabase } from '@parking/database';
import { SpaceStateStore } from '../state/space-state-store';

/** As ingest's pipeline: up to 10 ms for a fuller batch, paid once per batch of uplinks. */
const LINGER_MS = 10;

export const UPLINKS_DURABLE = 'occupancy-uplinks';
export const UPLINKS_FILTER = `${IngestEvents.UPLINK_RECEIVED_V1}.>`;
const BATCH_SIZE = 256;

type BatchItem = TenantBatchItem<Uplink>;

export function readingOf(uplink: Uplink): SensorReading {
  return {
    devEui: uplink.devEui,
    session: uplink.session,
    fCnt: uplink.fCnt,
    sensorTime: uplink.sensorTime,
    receivedAt: uplink.receivedAt,
    deduplicationId: uplink.deduplicationId,
    occupied: uplink.decoded.occupied,
  };
}

/**
 * Applies uplinks to the spaces their sensors lie under, a batch at a time: one transaction
 * per tenant in the batch, with an inbox row per event (a redelivered one is dropped), each
 * space locked once, and each zone's and site's counts changed once with the net effect of
 * the batch. Every change of a space still gets its own transition and event. An uplink of a
 * device under no space is counted and changes nothing else.
 */
@Injectable()
export class UplinkBatchConsumer extends TenantBatchConsumer<Uplink, OccupancySql> {
  protected readonly durable: TenantBatchDurable<Uplink, OccupancySql>;

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    ns: Namespace,
    // The hot path: raw SQL over node-postgres rather than Prisma.
    @Inject(RAW_TENANT_DATABASE) db: TenantDatabase<OccupancySql>,
    private readonly spaces: SpaceStateStore,
  ) {
    super();
    // Not occupancy's stream: created when missing, never changed (see NATS_ACCESS).
    this.durable = new TenantBatchDurable({
      nc,
      js,
      ns,
      db,
      service: 'occupancy',
      inboxSchema: 'occupancy',
      stream: STREAMS.INGEST,
      durable: UPLINKS_DURABLE,
      filterSubject: UPLINKS_FILTER,
      description: 'Uplinks to space states',
      batchSize: BATCH_SIZE,
      lingerMs: LINGER_MS,
      eventTypes: [IngestEvents.UPLINK_RECEIVED_V1],
      apply: (tx, tenantId, items) => this.applyTenantBatch(tx, tenantId, items),
    });
  }

  private async applyTenantBatch(tx: OccupancySql, tenantId: string, work: BatchItem[]): Promise<void> {

    const devEuis = [...new Set(work.map((item) => item.data.devEui))];
    const candidates = await this.assignmentsOf(tx, tenantId, devEuis);
    const locked = await this.spaces.lockMany(tx, [...new Set(candidates.values())]);
    // Read again under the locks: an assignment may have changed in between.
    const assignments = await this.assignmentsOf(tx, tenantId, devEuis);
    const bySpace = new Map(locked.map((space) => [space.spaceId, [] as BatchItem[]]));
    const unassigned: BatchItem[] = [];
    for (const item of work) {
      const spaceId = assignments.get(item.data.devEui);
      const queue = spaceId === undefined ? undefined : bySpace.get(spaceId);
      if (queue) queue.push(item);
      else unassigned.push(item);
    }
    await this.countUnassigned(tx, tenantId, unassigned);

    const steps = locked.flatMap((space) => {
      const queue = (bySpace.get(space.spaceId) ?? []).sort((a, b) => a.streamSequence - b.streamSequence);
      const inputs = queue.map((item) => ({ input: { kind: 'reading' as const, reading: readingOf(item.data) }, streamSequence: item.streamSequence }));
      return inputs.length === 0 ? [] : [{ space, inputs }];
    });
    await this.spaces.applyToLocked(tx, tenantId, steps, new Date());
  }

  private async assignmentsOf(tx: OccupancySql, tenantId: string, devEuis: string[]): Promise<Map<string, string>> {
    // The tenant condition repeats what RLS enforces, so the planner can use the (tenant_id, dev_eui) index.
    const rows = await tx.$queryRaw<Array<{ dev_eui: string; space_id: string }>>`
      SELECT dev_eui, space_id::text FROM occupancy.space_sensors WHERE tenant_id = ${tenantId}::uuid AND dev_eui = ANY (${devEuis}::text[])`;
    return new Map(rows.map((row) => [row.dev_eui, row.space_id]));
  }

  private async countUnassigned(tx: OccupancySql, tenantId: string, items: BatchItem[]): Promise<void> {
    if (items.length === 0) return;
    // A display's status uplinks are not sensor traffic waiting for a space.
    const displays = await tx.$queryRaw<Array<{ dev_eui: string }>>`
      SELECT dev_eui FROM occupancy.sensors
       WHERE tenant_id = ${tenantId}::uuid AND dev_eui = ANY (${[...new Set(items.map((item) => item.data.devEui))]}::text[]) AND kind = 'display' AND NOT removed`;
    const skipped = new Set(displays.map((row) => row.dev_eui));
    const perDevice = new Map<string, { uplinks: number; last: string }>();
    for (const { data: uplink } of items) {
      if (skipped.has(uplink.devEui)) continue;
      const entry = perDevice.get(uplink.devEui) ?? { uplinks: 0, last: uplink.receivedAt };
      entry.uplinks++;
      if (Date.parse(uplink.receivedAt) > Date.parse(entry.last)) entry.last = uplink.receivedAt;
      perDevice.set(uplink.devEui, entry);
    }
    if (perDevice.size === 0) return;
    const rows = [...perDevice].sort(([a], [b]) => a.localeCompare(b));
    await tx.$executeRaw`
      INSERT INTO occupancy.unassigned_uplinks (tenant_id, dev_eui, uplinks, last_received_at)
      SELECT ${tenantId}::uuid, u.dev_eui, u.uplinks, u.last
        FROM unnest(${rows.map(([eui]) => eui)}::text[], ${rows.map(([, e]) => e.uplinks)}::bigint[], ${rows.map(([, e]) => e.last)}::timestamptz[])
             AS u(dev_eui, uplinks, last)
      ON CONFLICT (tenant_id, dev_eui) DO UPDATE
        SET uplinks = occupancy.unassigned_uplinks.uplinks + EXCLUDED.uplinks,
            last_received_at = GREATEST(occupancy.unassigned_uplinks.last_received_at, EXCLUDED.last_received_at)`;
  }
}
