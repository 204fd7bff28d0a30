/**
 * Dingtek DO201 parking sensor (ultrasonic + magnetometer).
 *
 * Written from the format in TheThingsNetwork/lorawan-devices vendor/dingtek/do201.yaml /
 * do201-codec.yaml and the referenced decoder; the vendor JS is not reused.
 * Uplinks on fPort 3 only. Frame: 0x80 0x00 <device type> <data type> <length> ... 0x81.
 *   23-byte telemetry: b5..6 u16 level (mm), b7 hi-nibble park alarm (= bay occupied) / lo-nibble
 *     level alarm, b8 hi-nibble magnet alarm / lo-nibble battery alarm, b9..10 battery (1/100 V),
 *     b11..16 int16 x/y/z magnetic field, b17 int8 temperature (degC), b18 humidity (%),
 *     b19..20 u16 frame counter.
 *   16-byte parameter frame (data type 0x03): b5.b6 firmware, b7 upload interval (h),
 *     b8 detect interval (min), b9 level threshold (cm), b10..11 magnet threshold, b12 battery threshold (%).
 * Occupancy = the park alarm nibble; the parameter frame says nothing about the bay ('unknown').
 */
import { checkInput, int16be, int8, uint16be } from '../bytes';
import { CodecError, CodecId, DecodedReading, DecodeInput, SensorCodec } from '../types';

const ID: CodecId = 'dingtek-do201';

function decode(input: DecodeInput): DecodedReading {
  checkInput(ID, input);
  if (input.fPort !== 3) throw new CodecError('unknown_port', ID, `fPort ${input.fPort}`);
  const b = input.bytes;
  if (b.length === 23) {
    const vendor = {
      level: uint16be(b, 5),
      volt: uint16be(b, 9) / 100,
      alarmPark: b[7] >> 4 !== 0,
      alarmLevel: (b[7] & 0x0f) !== 0,
      alarmMagnet: b[8] >> 4 !== 0,
      alarmBattery: (b[8] & 0x0f) !== 0,
      xMagnet: int16be(b, 11),
      yMagnet: int16be(b, 13),
      zMagnet: int16be(b, 15),
      temperature: int8(b[17]),
      humidity: b[18],
      frameCounter: uint16be(b, 19),
    };
    return {
      occupied: vendor.alarmPark,
      batteryVoltage: vendor.volt,
      temperatureC: vendor.temperature,
      frameType: 'telemetry',
      extra: {
        dataType: b[3],
        levelMm: vendor.level,
        batteryLow: vendor.alarmBattery,
        humidity: vendor.humidity,
        frameCounter: vendor.frameCounter,
      },
      vendor,
    };
  }
  if (b.length === 16) {
    if (b[3] !== 0x03) throw new CodecError('unknown_frame', ID, `16-byte frame with data type ${b[3]}`);
    const vendor = {
      firmware: `${b[5]}.${b[6]}`,
      uploadInterval: b[7],
      detectInterval: b[8],
      levelThreshold: b[9],
      magnetThreshold: uint16be(b, 10),
      batteryThreshold: b[12],
    };
    return { occupied: 'unknown', frameType: 'parameters', extra: { ...vendor }, vendor };
  }
  throw new CodecError('wrong_length', ID, `expected 23 or 16 bytes, got ${b.length}`);
}

export const dingtekDo201: SensorCodec = {
  id: ID,
  name: 'Dingtek DO201 parking sensor',
  // The vendor's example parameter frame shows a 24 h periodic upload interval.
  defaultHeartbeatSeconds: 24 * 3600,
  decode,
};
