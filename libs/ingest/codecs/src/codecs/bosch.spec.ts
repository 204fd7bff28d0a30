import { TPS110_VECTORS } from '../fixtures/bosch.fixtures';
import { decodeBytes, describeFuzz, describeVendorVectors, reasonOf } from '../fixtures/check-vectors';
import { boschTps110 } from './bosch';

describeVendorVectors(boschTps110, TPS110_VECTORS, (d) => ({
  occupied: d.occupied as boolean,
  ...(typeof d.temperature === 'number' ? { temperatureC: d.temperature } : {}),
}));

describe('bosch-tps110 beyond the vendor examples', () => {
  it('free bay parking status (built from the format description: bit0 = 0; Bosch publishes no free example)', () => {
    const r = decodeBytes(boschTps110, 1, [0]);
    expect(r.occupied).toBe(false);
    expect(r.vendor).toEqual({ type: 'parking status', occupied: false });
  });

  it('free-bay heartbeat without temperature byte (format description: temperature optional)', () => {
    const r = decodeBytes(boschTps110, 2, [0]);
    expect(r.occupied).toBe(false);
    expect(r.temperatureC).toBeUndefined();
  });

  it('debug frame (format description)', () => {
    const r = decodeBytes(boschTps110, 6, [0x01, 0, 0, 0x80, 0x24, 0x03, 0, 0, 0x05, 0x00]);
    expect(r.occupied).toBe('unknown');
    expect(r.vendor).toEqual({ type: 'debug', timestamp: 0x80000001, debugCode: 804, sequenceNumber: 5 });
  });

  it.each([
    [1, [], 'wrong_length'],
    [1, [1, 0], 'wrong_length'],
    [2, [1, 2, 3], 'wrong_length'],
    [3, [0x24, 3, 0, 0], 'wrong_length'],
    [6, [1, 2, 3], 'wrong_length'],
    [7, [1], 'unknown_port'],
  ])('port %i bytes %j => CodecError %s', (fPort, bytes, reason) => {
    expect(reasonOf(() => decodeBytes(boschTps110, fPort, bytes))).toBe(reason);
  });

  describeFuzz(boschTps110, [1, 2, 3, 4, 5, 6]);
});
