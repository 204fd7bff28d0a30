import { defineEvent } from '../define-event';

export const RESERVATION_CREATED_V1 = 'reservations.reservation.created.v1' as const;

export interface ReservationCreatedV1Data {
  tenantId: string;
  reservationId: string;
  spaceId: string;
  siteId: string;
  zoneId: string | null;
  from: string;
  to: string;
  price: number | null;
  currency: string | null;
  createdAt: string;
}

export const ReservationCreatedV1 = defineEvent<ReservationCreatedV1Data, typeof RESERVATION_CREATED_V1>({
  type: RESERVATION_CREATED_V1,
  aggregate: 'reservation',
  description:
    'A booking was made: the space is promised for the window (held from its check-in window on). Published with the booking, in its transaction.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'reservationId', 'spaceId', 'siteId', 'zoneId', 'from', 'to', 'price', 'currency', 'createdAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      reservationId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      zoneId: { type: ['string', 'null'], format: 'uuid' },
      from: { type: 'string', format: 'date-time' },
      to: { type: 'string', format: 'date-time' },
      price: { type: ['integer', 'null'], minimum: 0 },
      currency: { type: ['string', 'null'], pattern: '^[A-Z]{3}$' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reservationId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    zoneId: null,
    from: '2026-03-01T10:00:00.000Z',
    to: '2026-03-01T12:00:00.000Z',
    price: 450,
    currency: 'EUR',
    createdAt: '2026-02-27T08:00:00.000Z',
  },
});
