import { defineEvent } from '../define-event';

export const RESERVATION_ENDED_V1 = 'reservations.reservation.ended.v1' as const;

export const RESERVATION_END_REASONS = ['completed', 'cancelled', 'expired', 'no_show'] as const;
export type ReservationEndReason = (typeof RESERVATION_END_REASONS)[number];

export interface ReservationEndedV1Data {
  tenantId: string;
  reservationId: string;
  spaceId: string;
  siteId: string;
  reason: ReservationEndReason;
  /** RFC 3339 */
  endedAt: string;
}

export const ReservationEndedV1 = defineEvent<ReservationEndedV1Data, typeof RESERVATION_ENDED_V1>({
  type: RESERVATION_ENDED_V1,
  aggregate: 'reservation',
  description:
    'An active reservation ended (the driver left, it was cancelled, it expired or the driver never came). ' +
    'Occupancy shows the space as its sensor last said. An end that arrives before its start is remembered, so the late start changes nothing.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'reservationId', 'spaceId', 'siteId', 'reason', 'endedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      reservationId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      reason: { enum: [...RESERVATION_END_REASONS] },
      endedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reservationId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    reason: 'completed',
    endedAt: '2026-03-01T11:42:10.000Z',
  },
});
