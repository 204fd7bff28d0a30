import { defineEvent } from '../define-event';

export const RESERVATION_STARTED_V1 = 'reservations.reservation.started.v1' as const;

export interface ReservationStartedV1Data {
  tenantId: string;
  reservationId: string;
  spaceId: string;
  siteId: string;
  /** The booked window (RFC 3339); the reservation is active from now until it ends. */
  from: string;
  to: string;
  /** RFC 3339: when the reservation became active. */
  startedAt: string;
}

export const ReservationStartedV1 = defineEvent<ReservationStartedV1Data, typeof RESERVATION_STARTED_V1>({
  type: RESERVATION_STARTED_V1,
  aggregate: 'reservation',
  description:
    "A reservation's window began: the space is held for the driver. Occupancy shows the space `reserved` while its sensor says free.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'reservationId', 'spaceId', 'siteId', 'from', 'to', 'startedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      reservationId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      startedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reservationId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    from: '2026-03-01T10:00:00.000Z',
    to: '2026-03-01T12:00:00.000Z',
    startedAt: '2026-03-01T10:00:00.150Z',
  },
});
