import type { FakeCall } from '../../libs/shared/chirpstack-fake/src';
import { countShown, enqueuedFrames } from './count-frames';

const enqueue = (devEui: string, fPort: number, hex: string, at: number, failed?: number): FakeCall => ({
  method: 'DeviceService.Enqueue',
  request: { queueItem: { devEui, fPort, data: Buffer.from(hex, 'hex').toString('base64') }, flushQueue: true },
  at: new Date(at),
  ...(failed === undefined ? {} : { failed }),
});

describe('count frames at ChirpStack', () => {
  it('reads the count a count-display frame shows, none for 0xFFFF or another frame', () => {
    expect(countShown(20, Buffer.from('0100170200ff0000', 'hex'))).toBe(23);
    expect(countShown(20, Buffer.from(`01000000ff000000${Buffer.from('FULL').toString('hex')}`, 'hex'))).toBe(0);
    expect(countShown(20, Buffer.from('01ffff0000000000', 'hex'))).toBeNull();
    expect(countShown(15, Buffer.from('0000ffff00', 'hex'))).toBeNull();
  });

  it('takes the frames ChirpStack accepted, oldest first, and nothing else', () => {
    const calls: FakeCall[] = [
      enqueue('70B3D5E75F000001', 20, '0101000200ff0000', 2_000),
      { method: 'DeviceService.Create', request: {}, at: new Date(500) },
      enqueue('70b3d5e75f000002', 20, '0100ff0200ff0000', 1_000),
      enqueue('70b3d5e75f000002', 20, '0100fe0200ff0000', 3_000, 5),
    ];
    expect(enqueuedFrames(calls)).toEqual([
      { devEui: '70b3d5e75f000002', at: 1_000, fPort: 20, hex: '0100ff0200ff0000', count: 255 },
      { devEui: '70b3d5e75f000001', at: 2_000, fPort: 20, hex: '0101000200ff0000', count: 256 },
    ]);
  });
});
