import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace, ReservationsEvents, STREAMS } from '@parking/contracts';
import type { TenantDatabase } from '@parking/database';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchDurable } from '@parking/messaging-nest';
import { OccupancySql } from '@parking/occupancy/data-access';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { SpaceStateStore, type SequencedInput } from '../state/space-state-store';

type ReservationEvent = ReservationsEvents.ReservationStartedV1Data | ReservationsEvents.ReservationEndedV1Data;

/** A start and an end each have their own durable (one filter each on NATS 2.9); the handling is the same. */
export const RESERVATION_EVENT_DURABLES = [
  { durable: 'occupancy-reservation-starts', type: ReservationsEvents.RESERVATION_STARTED_V1 },
  { durable: 'occupancy-reservation-ends', type: ReservationsEvents.RESERVATION_ENDED_V1 },
] as const;

const BATCH_SIZE = 64;

/**
 * Marks a space reserved while one of its reservations has started and not ended. Starts and
 * ends are remembered per reservation, so their order of arrival does not matter. They are
 * taken a batch at a time, one transaction per tenant with an inbox row per event, and every
 * space of the batch is locked before any changes (in id order, as the uplinks' batches lock
 * theirs), and the counts of each zone and site change once at the end (in id order): each
 * transaction takes the space rows before the zones' and sites' counts, as every other writer
 * does, never a zone after the site.
 */
@Injectable()
export class ReservationEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly durables: TenantBatchDurable<ReservationEvent, OccupancySql>[];

  constructor(
    private readonly spaces: SpaceStateStore,
    @Inject(RAW_TENANT_DATABASE) db: TenantDatabase<OccupancySql>,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    ns: Namespace,
  ) {
    this.durables = RESERVATION_EVENT_DURABLES.map(
      ({ durable, type }) =>
        new TenantBatchDurable<ReservationEvent, OccupancySql>({
          nc,
          js,
          ns,
          db,
          service: 'occupancy',
          inboxSchema: 'occupancy',
          stream: STREAMS.RESERVATIONS,
          durable,
          filterSubject: `${type}.>`,
          description: 'Reservations started and ended to reserved spaces',
          batchSize: BATCH_SIZE,
          eventTypes: [type],
          apply: (tx, tenantId, items) => this.apply(tx, tenantId, items),
        }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const durable of this.durables) await durable.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.durables.map((durable) => durable.stop()));
  }

  private async apply(tx: OccupancySql, tenantId: string, items: TenantBatchItem<ReservationEvent>[]): Promise<void> {
    const locked = await this.spaces.lockMany(tx, [...new Set(items.map((item) => item.data.spaceId.toLowerCase()))]);
    const spaces = new Map(locked.map((space) => [space.spaceId.toLowerCase(), space]));
    const inputs = new Map<string, SequencedInput[]>();
    for (const { type, data } of items) {
      const started = type === ReservationsEvents.RESERVATION_STARTED_V1;
      const window = started ? (data as ReservationsEvents.ReservationStartedV1Data) : null;
      await tx.$executeRaw`
        INSERT INTO occupancy.space_reservations (reservation_id, tenant_id, space_id, starts_at, ends_at, started, ended, updated_at)
        VALUES (${data.reservationId}::uuid, ${data.tenantId}::uuid, ${data.spaceId}::uuid, ${window?.from ?? null}::timestamptz,
                ${window?.to ?? null}::timestamptz, ${started}, ${!started}, now())
        ON CONFLICT (reservation_id) DO UPDATE
          SET started = occupancy.space_reservations.started OR EXCLUDED.started,
              ended = occupancy.space_reservations.ended OR EXCLUDED.ended,
              starts_at = COALESCE(EXCLUDED.starts_at, occupancy.space_reservations.starts_at),
              ends_at = COALESCE(EXCLUDED.ends_at, occupancy.space_reservations.ends_at),
              updated_at = now()`;
      // A reservation of a space this service does not know (deleted, or not yet created) is only remembered.
      const space = spaces.get(data.spaceId.toLowerCase());
      if (!space) continue;
      const [{ active }] = await tx.$queryRaw<Array<{ active: boolean }>>`
        SELECT EXISTS (SELECT 1 FROM occupancy.space_reservations
                        WHERE space_id = ${space.spaceId}::uuid AND started AND NOT ended) AS active`;
      inputs.set(space.spaceId, [...(inputs.get(space.spaceId) ?? []), { input: { kind: 'reservation', active } }]);
    }
    const work = locked.flatMap((space) => {
      const queue = inputs.get(space.spaceId);
      return queue ? [{ space, inputs: queue }] : [];
    });
    await this.spaces.applyToLocked(tx, tenantId, work, new Date());
  }
}
