import type { JsonSchema } from '../events/define-event';

/**
 * What a space shows. Precedence: `maintenance` (an operator's sticky override) over a
 * fresh sensor reading (`occupied` / `free`); a free space with an active reservation shows
 * `reserved`; a space whose sensor is silent (or has none) shows `unknown`, or `reserved`
 * while a reservation is active.
 */
export const SPACE_STATES = ['free', 'occupied', 'reserved', 'maintenance', 'unknown'] as const;
export type SpaceState = (typeof SPACE_STATES)[number];

/** Why a space changed state. */
export const TRANSITION_CAUSES = ['sensor', 'reservation', 'override', 'timeout'] as const;
export type TransitionCause = (typeof TRANSITION_CAUSES)[number];

/** Spaces per state, as kept for every zone and site in the same transaction as each change. */
export interface AvailabilityCounts {
  free: number;
  occupied: number;
  reserved: number;
  maintenance: number;
  unknown: number;
  total: number;
}

/** The sensor reading a state rests on (the newest one applied). */
export interface SpaceReading {
  devEui: string;
  session: number | null;
  fCnt: number | null;
  /** ChirpStack's `time` (RFC 3339), when the uplink had one. */
  sensorTime: string | null;
  /** When the gateway accepted the webhook (RFC 3339). */
  receivedAt: string;
  deduplicationId: string | null;
}

const COUNT = { type: 'integer', minimum: 0 } as const;

export const AVAILABILITY_COUNTS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['free', 'occupied', 'reserved', 'maintenance', 'unknown', 'total'],
  properties: { free: COUNT, occupied: COUNT, reserved: COUNT, maintenance: COUNT, unknown: COUNT, total: COUNT },
};

export const SPACE_READING_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['devEui', 'session', 'fCnt', 'sensorTime', 'receivedAt', 'deduplicationId'],
  properties: {
    devEui: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    session: { type: ['integer', 'null'], minimum: 0 },
    fCnt: { type: ['integer', 'null'], minimum: 0 },
    sensorTime: { type: ['string', 'null'], format: 'date-time' },
    receivedAt: { type: 'string', format: 'date-time' },
    deduplicationId: { type: ['string', 'null'], maxLength: 100 },
  },
};
