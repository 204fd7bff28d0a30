import type { UplinkEvent } from '@parking/chirpstack-events';
import { chirpstackObject, CodecError, codecById, type DecodedReading, type SensorCodec } from '@parking/ingest/codecs';
import type { UplinkDecoded } from '@parking/contracts';

export interface DecodeOutcome {
  decoded: UplinkDecoded;
  codecId: string | null;
}

const NOTHING: UplinkDecoded = {
  occupied: null,
  batteryPercent: null,
  batteryVoltage: null,
  temperatureC: null,
  frameType: null,
  fields: {},
  vendor: null,
};

/** Thrown when no codec can read the uplink: retrying cannot help, so it is dead-lettered. */
export class UndecodableUplinkError extends Error {
  override readonly name = 'UndecodableUplinkError';
}

/**
 * The device's codec decides; when the device names no codec we know and ChirpStack sent its
 * own decoded `object`, the generic `chirpstack-object` mapping reads that instead. A frame
 * without application data (fPort 0 or an empty payload: MAC commands only) is a valid
 * uplink with nothing to decode.
 */
export function decodeUplink(event: UplinkEvent, deviceCodec: string): DecodeOutcome {
  if (!event.fPort || event.payload.length === 0) return { decoded: NOTHING, codecId: null };
  const codec: SensorCodec | undefined = codecById(deviceCodec) ?? (event.object ? chirpstackObject : undefined);
  if (!codec) {
    throw new UndecodableUplinkError(`device codec "${deviceCodec}" is not a known codec and the uplink carries no ChirpStack object to fall back on`);
  }
  let reading: DecodedReading;
  try {
    reading = codec.decode({ fPort: event.fPort, bytes: event.payload, ...(event.object ? { object: event.object } : {}) });
  } catch (error) {
    if (error instanceof CodecError) throw new UndecodableUplinkError(`codec ${error.message} on fPort ${event.fPort}`);
    throw new UndecodableUplinkError(`codec ${codec.id} failed on fPort ${event.fPort}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    codecId: codec.id,
    decoded: {
      occupied: reading.occupied === 'unknown' ? null : reading.occupied,
      batteryPercent: finite(reading.batteryPercent),
      batteryVoltage: finite(reading.batteryVoltage),
      temperatureC: finite(reading.temperatureC),
      frameType: reading.frameType ?? null,
      fields: reading.extra,
      vendor: reading.vendor ?? null,
    },
  };
}

function finite(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
