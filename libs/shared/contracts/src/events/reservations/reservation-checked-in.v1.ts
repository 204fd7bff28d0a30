import { defineEvent } from '../define-event';

export const RESERVATION_CHECKED_IN_V1 = 'reservations.reservation.checked_in.v1' as const;

export interface ReservationCheckedInV1Data {
  tenantId: string;
  reservationId: string;
  spaceId: string;
  siteId: string;
  checkedInAt: string;
  by: 'sensor' | 'manual';
}

export const ReservationCheckedInV1 = defineEvent<ReservationCheckedInV1Data, typeof RESERVATION_CHECKED_IN_V1>({
  type: RESERVATION_CHECKED_IN_V1,
  aggregate: 'reservation',
  description:
    "The driver arrived: the space's sensor reported it occupied inside the check-in window, or an operator checked the booking in.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'reservationId', 'spaceId', 'siteId', 'checkedInAt', 'by'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      reservationId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      checkedInAt: { type: 'string', format: 'date-time' },
      by: { enum: ['sensor', 'manual'] },
    },
  },
  exampleAggregateId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reservationId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    checkedInAt: '2026-03-01T09:58:10.000Z',
    by: 'sensor',
  },
});
