import { NPS310_VECTORS, NPS405_VECTORS } from '../fixtures/nwave.fixtures';
import { decodeBytes, describeFuzz, describeVendorVectors, Expectation, reasonOf } from '../fixtures/check-vectors';
import { nwaveNps310, nwaveNps405, nwavePreviousState } from './nwave';

function nwaveExpectation(d: Record<string, unknown>): Expectation {
  const e: Expectation = { occupied: d.occupied === null ? 'unknown' : (d.occupied as boolean) };
  if (typeof d.battery_voltage === 'number') e.batteryVoltage = d.battery_voltage;
  if (typeof d.temperature === 'number') e.temperatureC = d.temperature;
  return e;
}

describeVendorVectors(nwaveNps405, NPS405_VECTORS, nwaveExpectation);
describeVendorVectors(nwaveNps310, NPS310_VECTORS, nwaveExpectation);

describe('nwave-nps405 beyond the vendor examples', () => {
  it('free bay parking status (built from the format: bit0 = 0, no vendor example)', () => {
    const r = decodeBytes(nwaveNps405, 1, [0x94]);
    expect(r.occupied).toBe(false);
    expect(r.extra.previousStateMinutes).toBe(74);
  });

  it('tag registration without occupancy bit reports unknown (format description: fields null)', () => {
    const r = decodeBytes(nwaveNps405, 10, [0x00, 0x00, 0x00, 0x00, 0x2a]);
    expect(r.occupied).toBe('unknown');
    expect(r.vendor).toMatchObject({ occupied: null, tag_id: '0000002A' });
  });

  it('heartbeat battery health thresholds depend on temperature (format description)', () => {
    // 2500 + 100*4 = 2900 mV; temp byte 0 => 10 degC => low (2900..2999); byte 0xD8 => -10 degC => normal
    expect(decodeBytes(nwaveNps405, 2, [0x01, 100, 0x00]).extra.batteryHealth).toBe('low');
    expect(decodeBytes(nwaveNps405, 2, [0x01, 100, 0xd8]).extra.batteryHealth).toBe('normal');
    expect(decodeBytes(nwaveNps405, 2, [0x01, 0, 0x00]).extra.batteryHealth).toBe('critical');
  });

  it('previous-state compression', () => {
    expect(nwavePreviousState(89).previous_state_duration).toBe(89);
    expect(nwavePreviousState(119).previous_state_duration).toBe(235);
    expect(nwavePreviousState(126).previous_state_duration).toBe(600);
    expect(nwavePreviousState(127)).toEqual({
      previous_state_duration: 660,
      previous_state_duration_error: null,
      previous_state_duration_overflow: true,
    });
  });

  it.each([
    [1, [], 'wrong_length'],
    [1, [1, 2], 'wrong_length'],
    [2, [0, 1], 'wrong_length'],
    [3, [1, 2, 3, 4], 'wrong_length'],
    [10, [1, 2, 3, 4], 'wrong_length'],
    [10, [1, 2, 3, 4, 5, 6, 7], 'wrong_length'],
    [4, [1], 'unknown_port'],
    [0, [1], 'unknown_port'],
  ])('port %i bytes %j => CodecError %s', (fPort, bytes, reason) => {
    expect(reasonOf(() => decodeBytes(nwaveNps405, fPort, bytes))).toBe(reason);
  });

  describeFuzz(nwaveNps405, [1, 2, 3, 6, 10]);
});

describe('nwave-nps310 beyond the vendor examples', () => {
  it('free bay parking status (built from the format: bit0 = 0, no vendor example)', () => {
    expect(decodeBytes(nwaveNps310, 1, [0]).occupied).toBe(false);
  });

  it.each([
    [1, [], 'wrong_length'],
    [2, [0, 0], 'wrong_length'],
    [3, [1, 13, 0, 2], 'wrong_length'],
    [10, [1], 'unknown_port'],
  ])('port %i bytes %j => CodecError %s', (fPort, bytes, reason) => {
    expect(reasonOf(() => decodeBytes(nwaveNps310, fPort, bytes))).toBe(reason);
  });

  describeFuzz(nwaveNps310, [1, 2, 3, 6]);
});
