import { decodeBytes, describeFuzz, reasonOf } from '../fixtures/check-vectors';
import { countDisplay } from './count-display';

describe('count-display status echo', () => {
  it('reads back the frame the sign shows', () => {
    const r = decodeBytes(countDisplay, 20, [0x01, 0x01, 0x02, 0x02, 0x00, 0xff, 0x00, 0x00, 0x50, 0x33]);
    expect(r.occupied).toBe('unknown');
    expect(r.extra).toEqual({ frame: '0101020200ff00005033', count: 258, arrow: 'right', colour: { red: 0, green: 255, blue: 0 }, blink: 'steady', text: 'P3' });
  });

  it('reads 0xFFFF as an unknown count', () => {
    expect(decodeBytes(countDisplay, 20, [0x01, 0xff, 0xff, 0, 0, 0, 0, 0]).extra['count']).toBeNull();
  });

  it.each([
    [20, [], 'empty_payload'],
    [20, [1, 0, 0, 0, 0, 0, 0], 'wrong_length'],
    [20, [2, 0, 0, 0, 0, 0, 0, 0], 'unknown_frame'],
    [20, [1, 0, 0, 5, 0, 0, 0, 0], 'unknown_frame'],
    [20, [1, 0, 0, 0, 0, 0, 0, 0, 0x07], 'unknown_frame'],
    [15, [1, 0, 0, 0, 0, 0, 0, 0], 'unknown_port'],
  ])('port %i bytes %j => CodecError %s', (fPort, bytes, reason) => {
    expect(reasonOf(() => decodeBytes(countDisplay, fPort, bytes))).toBe(reason);
  });

  describeFuzz(countDisplay, [20]);
});
