/**
 * Nwave NPS405 / NPS310 parking sensors.
 *
 * Written from the payload format described by Nwave's TTN device-repository entry
 * (TheThingsNetwork/lorawan-devices vendor/nwave/nps405*.yaml, nps310sm*.yaml and the decoders
 * they reference); the vendor JS is not reused. Output `vendor` has the same keys/values as
 * the vendor decoder's `data` so that the published examples can be checked verbatim.
 *
 * NPS405 ports:
 *   1  parking status   1 byte   bit0 occupied, bits1..7 compressed previous-state duration (min)
 *   2  heartbeat        >=3 bytes b0 bit0 occupied (b0&0x7f hw health), b1 battery (2500+4*b1 mV),
 *                                 b2 int8 temperature (b2/2+10 degC); trailing bytes ignored
 *   3  startup          5 bytes  fw major.minor.patch, reset cause, b4 bit0 occupied
 *   6  debug            any      opaque
 *   10 tag registration 5 bytes  b0 as port 1, b1..b4 tag id
 *                       6 bytes  b0 as port 1, b1 tag battery (b1/10 V), b2..b5 tag id
 *      (the 6-byte layout is only published as an example in one revision of nps405-codec.yaml;
 *       the tag battery scale /10 is inferred from that single example).
 *
 * NPS310 ports: 1 / 2 one byte (bit0 occupied), 3 startup as above (different reset-cause table), 6 debug.
 */
import { checkInput, compact, int8, requireLength, uint32be } from '../bytes';
import { CodecError, CodecId, DecodedReading, DecodeInput, SensorCodec } from '../types';

interface PreviousState {
  previous_state_duration: number;
  previous_state_duration_error: number | null;
  previous_state_duration_overflow: boolean;
}

/** Compressed duration (0..127) to minutes: linear to 89, 5-min steps to 119, hourly to 126, 127 = overflow. */
export function nwavePreviousState(c: number): PreviousState {
  if (c < 90) return { previous_state_duration: c, previous_state_duration_error: 0, previous_state_duration_overflow: false };
  if (c < 120)
    return {
      previous_state_duration: 90 + (c - 90) * 5,
      previous_state_duration_error: 4,
      previous_state_duration_overflow: false,
    };
  if (c < 127)
    return {
      previous_state_duration: 240 + (c - 120) * 60,
      previous_state_duration_error: 59,
      previous_state_duration_overflow: false,
    };
  return { previous_state_duration: 660, previous_state_duration_error: null, previous_state_duration_overflow: true };
}

const NPS405_RESET: readonly (string | undefined)[] = [
  'rejoining_lorawan_network',
  'watchdog',
  'power_on',
  'user_request',
  undefined,
  undefined,
  'brownout',
  'other',
];
const NPS310_RESET: readonly (string | undefined)[] = [undefined, 'watchdog', 'power_on', 'user_request', 'brownout', 'other'];

function hex8(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0');
}

function startup(id: CodecId, bytes: Uint8Array, causes: readonly (string | undefined)[]): DecodedReading {
  requireLength(id, bytes, 5, 5, 'startup');
  const vendor = compact({
    type: 'startup',
    firmware_version: `${bytes[0]}.${bytes[1]}.${bytes[2]}`,
    reset_cause: causes[bytes[3]],
    occupied: (bytes[4] & 1) === 1,
  });
  return {
    occupied: vendor.occupied,
    frameType: 'startup',
    extra: { firmwareVersion: vendor.firmware_version, resetCause: vendor.reset_cause ?? null },
    vendor,
  };
}

function debug(bytes: Uint8Array): DecodedReading {
  return { occupied: 'unknown', frameType: 'debug', extra: {}, vendor: { type: 'debug', bytes: Array.from(bytes) } };
}

function decodeNps405(input: DecodeInput): DecodedReading {
  const id: CodecId = 'nwave-nps405';
  checkInput(id, input);
  const { bytes } = input;
  switch (input.fPort) {
    case 1: {
      requireLength(id, bytes, 1, 1, 'parking status');
      const occupied = (bytes[0] & 1) === 1;
      const prev = nwavePreviousState((bytes[0] >> 1) & 0x7f);
      return {
        occupied,
        frameType: 'parking_status',
        extra: { previousStateMinutes: prev.previous_state_duration },
        vendor: { type: 'parking_status', occupied, ...prev },
      };
    }
    case 2: {
      requireLength(id, bytes, 3, Infinity, 'heartbeat');
      const occupied = (bytes[0] & 1) === 1;
      const mv = 2500 + bytes[1] * 4;
      const temperature = int8(bytes[2]) / 2 + 10;
      const [critical, low] = temperature >= -5 ? [2900, 3000] : [2800, 2900];
      const battery_health = mv >= low ? 'normal' : mv >= critical ? 'low' : 'critical';
      const vendor = {
        type: 'heartbeat',
        occupied,
        hw_health_status: bytes[0] & 0x7f,
        temperature,
        battery_voltage: mv / 1000,
        battery_health,
      };
      return {
        occupied,
        batteryVoltage: vendor.battery_voltage,
        temperatureC: temperature,
        frameType: 'heartbeat',
        extra: { batteryHealth: battery_health, hwHealthStatus: vendor.hw_health_status },
        vendor,
      };
    }
    case 3:
      return startup(id, bytes, NPS405_RESET);
    case 6:
      return debug(bytes);
    case 10: {
      requireLength(id, bytes, 5, 6, 'tag registration');
      const withBattery = bytes.length === 6;
      const tag_id = hex8(uint32be(bytes, withBattery ? 2 : 1));
      const tagBattery = withBattery ? bytes[1] / 10 : undefined;
      const vendor: Record<string, unknown> =
        (bytes[0] & 1) === 1
          ? { type: 'user_registration', occupied: true, ...nwavePreviousState((bytes[0] >> 1) & 0x7f) }
          : {
              type: 'user_registration',
              occupied: null,
              previous_state_duration: null,
              previous_state_duration_error: null,
              previous_state_duration_overflow: null,
            };
      if (tagBattery !== undefined) vendor.tag_battery_voltage = tagBattery;
      vendor.tag_id = tag_id;
      return {
        occupied: vendor.occupied === true ? true : 'unknown',
        frameType: 'user_registration',
        extra: compact({ tagId: tag_id, tagBatteryVoltage: tagBattery }),
        vendor,
      };
    }
    default:
      throw new CodecError('unknown_port', id, `fPort ${input.fPort}`);
  }
}

function decodeNps310(input: DecodeInput): DecodedReading {
  const id: CodecId = 'nwave-nps310';
  checkInput(id, input);
  const { bytes } = input;
  switch (input.fPort) {
    case 1:
    case 2: {
      const type = input.fPort === 1 ? 'parking_status' : 'heartbeat';
      requireLength(id, bytes, 1, 1, type);
      const occupied = (bytes[0] & 1) === 1;
      return { occupied, frameType: type, extra: {}, vendor: { type, occupied } };
    }
    case 3:
      return startup(id, bytes, NPS310_RESET);
    case 6:
      return debug(bytes);
    default:
      throw new CodecError('unknown_port', id, `fPort ${input.fPort}`);
  }
}

export const nwaveNps405: SensorCodec = {
  id: 'nwave-nps405',
  name: 'Nwave NPS405 parking sensor',
  // Assumption (not from the device repository): treat the sensor as stale after 24 h of silence.
  defaultHeartbeatSeconds: 24 * 3600,
  decode: decodeNps405,
};

export const nwaveNps310: SensorCodec = {
  id: 'nwave-nps310',
  name: 'Nwave NPS310 parking sensor',
  defaultHeartbeatSeconds: 24 * 3600,
  decode: decodeNps310,
};
