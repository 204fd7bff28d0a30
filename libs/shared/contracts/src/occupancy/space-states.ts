import { ApiProperty } from '@nestjs/swagger';
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
export class AvailabilityCounts {
  @ApiProperty({ example: 41 }) free!: number;
  @ApiProperty({ example: 52 }) occupied!: number;
  @ApiProperty({ example: 3 }) reserved!: number;
  @ApiProperty({ example: 1 }) maintenance!: number;
  @ApiProperty({ example: 3 }) unknown!: number;
  @ApiProperty({ example: 100 }) total!: number;
}

/** The sensor reading a state rests on (the newest one applied). */
export class SpaceReading {
  @ApiProperty({ example: '70b3d54750100a1b' }) devEui!: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 }) session!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 411 }) fCnt!: number | null;
  /** ChirpStack's `time` (RFC 3339), when the uplink had one. */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-02T09:41:11.870Z', description: "ChirpStack's time" }) sensorTime!: string | null;
  /** When the gateway accepted the webhook (RFC 3339). */
  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:41:12.004Z', description: 'When the gateway accepted the webhook' }) receivedAt!: string;
  @ApiProperty({ type: 'string', nullable: true, example: '3b1f6c2e-0a4d-4e8b-9c7f-5d2a1e0b3c4f' }) deduplicationId!: string | null;
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
