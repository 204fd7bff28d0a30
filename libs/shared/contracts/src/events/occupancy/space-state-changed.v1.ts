import {
  SPACE_READING_SCHEMA,
  SPACE_STATES,
  TRANSITION_CAUSES,
  type SpaceReading,
  type SpaceState,
  type TransitionCause,
} from '../../occupancy/space-states';
import { defineEvent } from '../define-event';

export const SPACE_STATE_CHANGED_V1 = 'occupancy.space.state_changed.v1' as const;

export interface SpaceStateChangedV1Data {
  tenantId: string;
  spaceId: string;
  siteId: string;
  /** The zone the space lies in directly; null for a space outside any zone. */
  zoneId: string | null;
  from: SpaceState;
  to: SpaceState;
  cause: TransitionCause;
  /** The reading that caused the change (cause `sensor`), else the one the space holds, if any. */
  reading: SpaceReading | null;
  /** RFC 3339 */
  changedAt: string;
  /** Grows by one with every change of this space: a subscriber drops what it has already seen. */
  version: number;
}

export const SpaceStateChangedV1 = defineEvent<SpaceStateChangedV1Data, typeof SPACE_STATE_CHANGED_V1>({
  type: SPACE_STATE_CHANGED_V1,
  aggregate: 'space',
  description:
    'A space changed state (free, occupied, reserved, maintenance, unknown) because of a sensor reading, a reservation, ' +
    "an operator's override or a silent sensor. Published once per change, in the same transaction as the change.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'spaceId', 'siteId', 'zoneId', 'from', 'to', 'cause', 'reading', 'changedAt', 'version'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      zoneId: { type: ['string', 'null'], format: 'uuid' },
      from: { enum: [...SPACE_STATES] },
      to: { enum: [...SPACE_STATES] },
      cause: { enum: [...TRANSITION_CAUSES] },
      reading: { oneOf: [{ type: 'null' }, SPACE_READING_SCHEMA] },
      changedAt: { type: 'string', format: 'date-time' },
      version: { type: 'integer', minimum: 1 },
    },
  },
  exampleAggregateId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    zoneId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    from: 'free',
    to: 'occupied',
    cause: 'sensor',
    reading: {
      devEui: '70b3d5e75e003c11',
      session: 1,
      fCnt: 52,
      sensorTime: '2026-03-01T09:34:15.775Z',
      receivedAt: '2026-03-01T09:34:15.802Z',
      deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
    },
    changedAt: '2026-03-01T09:34:15.840Z',
    version: 7,
  },
});
