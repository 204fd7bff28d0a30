import { TBDW100_VECTORS } from '../fixtures/browan.fixtures';
import { decodeBytes, describeFuzz, describeVendorVectors, reasonOf } from '../fixtures/check-vectors';
import { browanTbdw100 } from './browan';

// Mapping choice (documented in browan.ts): status 1 (open) => occupied true, 0 (closed) => false.
describeVendorVectors(browanTbdw100, TBDW100_VECTORS, (d) => ({
  occupied: d.status === 1,
  batteryVoltage: d.battery as number,
  temperatureC: d.temperatureBoard as number,
}));

describe('browan-tbdw100 beyond the vendor examples', () => {
  it('door open => occupied true (built from the format description: b0 bit0 = 1; no vendor example)', () => {
    const r = decodeBytes(browanTbdw100, 100, [0x01, 0xcb, 0x35, 0x05, 0x00, 0x8b, 0x3a, 0x00]);
    expect(r.occupied).toBe(true);
    expect(r.extra).toEqual({ open: true, minutesInState: 5, eventCount: 14987 });
  });

  it.each([
    [100, [], 'empty_payload'],
    [100, [0, 0, 0, 0, 0, 0, 0, 0], 'empty_payload'],
    [100, [0x01, 0xcb, 0x35], 'wrong_length'],
    [100, [0x01, 0xcb, 0x35, 0, 0, 0, 0, 0, 0], 'wrong_length'],
    [42, [0x01], 'unknown_port'],
  ])('port %i bytes %j => CodecError %s', (fPort, bytes, reason) => {
    expect(reasonOf(() => decodeBytes(browanTbdw100, fPort, bytes))).toBe(reason);
  });

  describeFuzz(browanTbdw100, [100]);
});
