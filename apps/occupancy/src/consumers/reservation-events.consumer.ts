import { Injectable } from '@nestjs/common';
import { EventEnvelope, ReservationsEvents, STREAMS } from '@parking/contracts';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { OccupancyTransaction } from '@parking/occupancy/data-access';
import { SpaceStateStore } from '../state/space-state-store';

type ReservationEvent = ReservationsEvents.ReservationStartedV1Data | ReservationsEvents.ReservationEndedV1Data;

/**
 * Marks a space reserved while one of its reservations has started and not ended. Starts and
 * ends are remembered per reservation, so their order of arrival does not matter.
 */
@Injectable()
export class ReservationEventsConsumer implements EventConsumer<OccupancyTransaction> {
  constructor(private readonly spaces: SpaceStateStore) {}

  async handle(envelope: EventEnvelope, tx: OccupancyTransaction): Promise<void> {
    const started = envelope.type === ReservationsEvents.RESERVATION_STARTED_V1;
    if (!started && envelope.type !== ReservationsEvents.RESERVATION_ENDED_V1) return;
    const data = envelope.data as ReservationEvent;
    const space = await this.spaces.lock(tx, data.spaceId);
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
    if (!space) return;
    const [{ active }] = await tx.$queryRaw<Array<{ active: boolean }>>`
      SELECT EXISTS (SELECT 1 FROM occupancy.space_reservations
                      WHERE space_id = ${space.spaceId}::uuid AND started AND NOT ended) AS active`;
    await this.spaces.apply(tx, space, { kind: 'reservation', active });
  }
}

/** A start and an end each have their own durable (one filter each on NATS 2.9); the handler is the same. */
export const RESERVATION_EVENTS_CONSUMERS: ConsumerDefinition[] = [
  { purpose: 'reservation-starts', stream: STREAMS.RESERVATIONS.name, filterSubject: `${ReservationsEvents.RESERVATION_STARTED_V1}.>`, handler: ReservationEventsConsumer, concurrency: 8 },
  { purpose: 'reservation-ends', stream: STREAMS.RESERVATIONS.name, filterSubject: `${ReservationsEvents.RESERVATION_ENDED_V1}.>`, handler: ReservationEventsConsumer, concurrency: 8 },
];
