/**
 * Bosch Parking Lot Sensor (TPS110, firmware family decoded by vendor/bosch/tpl110-0292.js).
 *
 * Written from the format in TheThingsNetwork/lorawan-devices vendor/bosch/ (tps110*.yaml and the
 * referenced decoder); the vendor JS is not reused.
 *
 *   1 parking status  1 byte   bit0 occupied
 *   2 heartbeat       1..2     bit0 occupied, optional b1 int8 temperature (degC)
 *   3 startup         17 bytes three 4-byte debug-code slots (code = (b[i+1]&0x0f)<<8 | b[i], 0 = empty),
 *                              b12..b14 firmware, b15 reset cause, b16 bit0 occupied
 *   4 device info     any      opaque
 *   5 device usage    any      opaque
 *   6 debug           >=10     u32le timestamp, debug code (b5&0x0f)<<8|b4, u16le sequence at b8
 * The frame carries no battery level.
 */
import { checkInput, compact, int8, requireLength, uint32le } from '../bytes';
import { CodecError, CodecId, DecodedReading, DecodeInput, SensorCodec } from '../types';

const ID: CodecId = 'bosch-tps110';
const RESET: readonly (string | undefined)[] = [undefined, 'watchdog', 'power on', 'system request', 'other'];

function decode(input: DecodeInput): DecodedReading {
  checkInput(ID, input);
  const { bytes } = input;
  switch (input.fPort) {
    case 1: {
      requireLength(ID, bytes, 1, 1, 'parking status');
      const occupied = (bytes[0] & 1) === 1;
      return { occupied, frameType: 'parking_status', extra: {}, vendor: { type: 'parking status', occupied } };
    }
    case 2: {
      requireLength(ID, bytes, 1, 2, 'heartbeat');
      const occupied = (bytes[0] & 1) === 1;
      const temperature = bytes.length >= 2 ? int8(bytes[1]) : undefined;
      return compact({
        occupied,
        temperatureC: temperature,
        frameType: 'heartbeat',
        extra: {},
        vendor: compact({ type: 'heartbeat', occupied, temperature }),
      });
    }
    case 3: {
      requireLength(ID, bytes, 17, 17, 'startup');
      const debugCodes: number[] = [];
      for (let i = 0; i <= 8; i += 4) {
        const code = ((bytes[i + 1] & 0x0f) << 8) | bytes[i];
        if (code !== 0) debugCodes.push(code);
      }
      const occupied = (bytes[16] & 1) === 1;
      const vendor = compact({
        type: 'startup',
        debugCodes,
        firmwareVersion: `${bytes[12]}.${bytes[13]}.${bytes[14]}`,
        resetCause: RESET[bytes[15]],
        occupied,
      });
      return {
        occupied,
        frameType: 'startup',
        extra: { firmwareVersion: vendor.firmwareVersion, resetCause: vendor.resetCause ?? null, debugCodes },
        vendor,
      };
    }
    case 4:
    case 5: {
      const type = input.fPort === 4 ? 'device information' : 'device usage';
      return { occupied: 'unknown', frameType: type.replace(' ', '_'), extra: {}, vendor: { type, bytes: Array.from(bytes) } };
    }
    case 6: {
      requireLength(ID, bytes, 10, Infinity, 'debug');
      const vendor = {
        type: 'debug',
        timestamp: uint32le(bytes, 0),
        debugCode: ((bytes[5] & 0x0f) << 8) | bytes[4],
        sequenceNumber: (bytes[9] << 8) | bytes[8],
      };
      return { occupied: 'unknown', frameType: 'debug', extra: {}, vendor };
    }
    default:
      throw new CodecError('unknown_port', ID, `fPort ${input.fPort}`);
  }
}

export const boschTps110: SensorCodec = {
  id: ID,
  name: 'Bosch Parking Lot Sensor (TPS110)',
  // Assumption: Bosch PLS heartbeat is daily by default; stale after 24 h.
  defaultHeartbeatSeconds: 24 * 3600,
  decode,
};
