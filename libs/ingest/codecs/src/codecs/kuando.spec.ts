import { BUSYLIGHT_VECTORS } from '../fixtures/kuando.fixtures';
import { decodeBytes, describeFuzz, describeVendorVectors, reasonOf } from '../fixtures/check-vectors';
import { kuandoBusylight } from './kuando';

// A light says nothing about a bay.
describeVendorVectors(kuandoBusylight, BUSYLIGHT_VECTORS, () => ({ occupied: 'unknown' }));

describe('kuando-busylight beyond the vendor examples', () => {
  it('echoes the colour it shows, read in the R, B, G order of its downlink', () => {
    const r = decodeBytes(kuandoBusylight, 15, [208, 255, 255, 255, 30, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0x10, 0x20, 0x30, 5, 7, 41, 12, 0]);
    expect(r.extra).toEqual({
      shows: { red: 0x10, blue: 0x20, green: 0x30, onTime: 5, offTime: 7 },
      downlinkRssi: -48,
      downlinkSnr: 30,
      messagesReceived: 8,
      messagesSent: 6,
      softwareRevision: 41,
      hardwareRevision: 12,
      adr: false,
    });
    expect(r.frameType).toBe('display_status');
  });

  it('reads counters above 2^31 as unsigned', () => {
    const bytes = Array(24).fill(0);
    bytes.splice(8, 4, 0xff, 0xff, 0xff, 0xff);
    expect(decodeBytes(kuandoBusylight, 15, bytes).extra['messagesReceived']).toBe(4_294_967_295);
  });

  it.each([
    [15, [], 'empty_payload'],
    [15, [0, 0, 255, 255, 0], 'wrong_length'],
    [15, Array(25).fill(0), 'wrong_length'],
    [0, Array(24).fill(0), 'unknown_port'],
  ])('port %i bytes %j => CodecError %s', (fPort, bytes, reason) => {
    expect(reasonOf(() => decodeBytes(kuandoBusylight, fPort, bytes))).toBe(reason);
  });

  describeFuzz(kuandoBusylight, [15]);
});
