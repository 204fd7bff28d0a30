/** Identifiers of every codec in the registry. */
export type CodecId =
  | 'nwave-nps405'
  | 'nwave-nps310'
  | 'bosch-tps110'
  | 'dingtek-do201'
  | 'browan-tbdw100'
  | 'kuando-busylight'
  | 'count-display'
  | 'chirpstack-object';

/** Tri-state occupancy: a frame that says nothing about the bay is 'unknown'. */
export type Occupancy = true | false | 'unknown';

export interface DecodedReading {
  occupied: Occupancy;
  batteryPercent?: number;
  batteryVoltage?: number;
  temperatureC?: number;
  /** Short name of the uplink kind, e.g. 'parking_status', 'heartbeat', 'startup'. */
  frameType?: string;
  /** Codec-specific normalised extras (never required by callers). */
  extra: Record<string, unknown>;
  /** The full vendor-style decoded output (same shape as the vendor's TTN decoder `data`). */
  vendor?: Record<string, unknown>;
}

export interface DecodeInput {
  fPort: number;
  bytes: Uint8Array;
  /** Already-decoded object from the network server (ChirpStack `object`), if any. */
  object?: Record<string, unknown>;
}

export interface SensorCodec {
  id: CodecId;
  name: string;
  /** Expected maximum silence between uplinks before the sensor is considered stale. */
  defaultHeartbeatSeconds: number;
  decode(input: DecodeInput): DecodedReading;
}

export type CodecErrorReason =
  | 'unknown_port'
  | 'wrong_length'
  | 'unknown_frame'
  | 'empty_payload'
  | 'missing_object'
  | 'invalid_input';

/** Thrown when a codec cannot read a frame; the caller dead-letters the uplink. */
export class CodecError extends Error {
  override readonly name = 'CodecError';

  constructor(
    readonly reason: CodecErrorReason,
    readonly codecId: CodecId,
    readonly detail?: string,
  ) {
    super(`${codecId}: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}
