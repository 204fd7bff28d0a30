/**
 * Browan TBDW100 door/window sensor (not a parking sensor; it reports a binary contact state).
 *
 * Written from the format in TheThingsNetwork/lorawan-devices vendor/browan/tbdw100*.yaml and the
 * referenced decoder; the vendor JS is not reused. fPort 100, 8 bytes:
 *   b0 bit0 status (1 = open, 0 = closed), b1 low nibble battery ((25 + n) / 10 V),
 *   b2 bits0..6 board temperature (n - 32 degC), b3..4 u16le time (min), b5..7 u24le event count.
 *
 * MAPPING CHOICE: open => occupied = true, closed => occupied = false. The contact's "active"
 * state is treated as "bay in use" (e.g. a barrier or garage door held open while a vehicle is
 * present). Installations that mount it the other way round must invert it at the space mapping.
 * An all-zero/empty payload is treated as empty (as the vendor decoder does) and rejected.
 */
import { checkInput, requireLength } from '../bytes';
import { CodecError, CodecId, DecodedReading, DecodeInput, SensorCodec } from '../types';

const ID: CodecId = 'browan-tbdw100';

function decode(input: DecodeInput): DecodedReading {
  checkInput(ID, input);
  if (input.fPort !== 100) throw new CodecError('unknown_port', ID, `fPort ${input.fPort}`);
  const b = input.bytes;
  if (b.length === 0 || b.every((x) => x === 0)) throw new CodecError('empty_payload', ID);
  requireLength(ID, b, 8, 8, 'status');
  const vendor = {
    status: b[0] & 0x01,
    battery: (25 + (b[1] & 0x0f)) / 10,
    temperatureBoard: (b[2] & 0x7f) - 32,
    time: (b[4] << 8) | b[3],
    count: (b[7] << 16) | (b[6] << 8) | b[5],
  };
  return {
    occupied: vendor.status === 1,
    batteryVoltage: vendor.battery,
    temperatureC: vendor.temperatureBoard,
    frameType: 'status',
    extra: { open: vendor.status === 1, minutesInState: vendor.time, eventCount: vendor.count },
    vendor,
  };
}

export const browanTbdw100: SensorCodec = {
  id: ID,
  name: 'Browan TBDW100 door/window sensor',
  // Assumption: Browan TABS keep-alive defaults to 1 h; allow 2 missed keep-alives.
  defaultHeartbeatSeconds: 2 * 3600,
  decode,
};
