import { DO201_VECTORS } from '../fixtures/dingtek.fixtures';
import { decodeBytes, describeFuzz, describeVendorVectors, reasonOf } from '../fixtures/check-vectors';
import { dingtekDo201 } from './dingtek';

describeVendorVectors(dingtekDo201, DO201_VECTORS, (d) =>
  'alarmPark' in d
    ? { occupied: d.alarmPark as boolean, batteryVoltage: d.volt as number, temperatureC: d.temperature as number }
    : { occupied: 'unknown' },
);

describe('dingtek-do201 beyond the vendor examples', () => {
  it('occupied bay (built from the format description: park-alarm nibble set; no vendor example)', () => {
    const bytes = [...(DO201_VECTORS[0].bytes as number[])];
    bytes[7] = 0x10;
    const r = decodeBytes(dingtekDo201, 3, bytes);
    expect(r.occupied).toBe(true);
    expect(r.vendor).toMatchObject({ alarmPark: true, alarmLevel: false });
  });

  it.each([
    [3, [0x80, 0x00, 0x31], 'wrong_length'],
    [3, new Array(22).fill(0), 'wrong_length'],
    [3, [0x80, 0x00, 0x31, 0x02, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81], 'unknown_frame'],
    [1, new Array(23).fill(0), 'unknown_port'],
  ])('port %i bytes %j => CodecError %s', (fPort, bytes, reason) => {
    expect(reasonOf(() => decodeBytes(dingtekDo201, fPort, bytes))).toBe(reason);
  });

  it('all-0xFF telemetry frame decodes signed fields (format description)', () => {
    expect(decodeBytes(dingtekDo201, 3, new Array(23).fill(0xff)).temperatureC).toBe(-1);
  });

  describeFuzz(dingtekDo201, [3]);
});
