import { defineEvent } from '../define-event';

export const RESERVATION_EXTENDED_V1 = 'reservations.reservation.extended.v1' as const;

export interface ReservationExtendedV1Data {
  tenantId: string;
  reservationId: string;
  spaceId: string;
  siteId: string;
  from: string;
  previousTo: string;
  to: string;
  price: number | null;
}

export const ReservationExtendedV1 = defineEvent<ReservationExtendedV1Data, typeof RESERVATION_EXTENDED_V1>({
  type: RESERVATION_EXTENDED_V1,
  aggregate: 'reservation',
  description:
    "A booking's end moved later; the extra time was priced and added to the booking's price.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'reservationId', 'spaceId', 'siteId', 'from', 'previousTo', 'to', 'price'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      reservationId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      from: { type: 'string', format: 'date-time' },
      previousTo: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      price: { type: ['integer', 'null'], minimum: 0 },
    },
  },
  exampleAggregateId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reservationId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    from: '2026-03-01T10:00:00.000Z',
    previousTo: '2026-03-01T12:00:00.000Z',
    to: '2026-03-01T13:00:00.000Z',
    price: 600,
  },
});
