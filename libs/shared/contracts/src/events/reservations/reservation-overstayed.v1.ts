import { defineEvent } from '../define-event';

export const RESERVATION_OVERSTAYED_V1 = 'reservations.reservation.overstayed.v1' as const;

export interface ReservationOverstayedV1Data {
  tenantId: string;
  reservationId: string;
  spaceId: string;
  siteId: string;
  to: string;
  overstayedAt: string;
}

export const ReservationOverstayedV1 = defineEvent<ReservationOverstayedV1Data, typeof RESERVATION_OVERSTAYED_V1>({
  type: RESERVATION_OVERSTAYED_V1,
  aggregate: 'reservation',
  description:
    "A checked-in booking reached its end with the car still there. Sent once; the booking stays checked_in, is charged at the site's rate until the sensor reports the space free, and then ends as completed.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'reservationId', 'spaceId', 'siteId', 'to', 'overstayedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      reservationId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      to: { type: 'string', format: 'date-time' },
      overstayedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reservationId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    to: '2026-03-01T12:00:00.000Z',
    overstayedAt: '2026-03-01T12:00:30.000Z',
  },
});
