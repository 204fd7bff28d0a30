// Frames against the vendor's published examples (TheThingsNetwork/lorawan-devices,
// vendor/plenom/busylight-codec.yaml and the product's documentation).
// The echo is decoded by ingest's codec and compared here: only the test crosses the two.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { kuandoBusylight as ingestBusylight } from '@parking/ingest/codecs';
import type { LightWish } from '@parking/contracts';
import { kuandoBusylight } from './kuando-busylight';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const light = (red: number, green: number, blue: number, blink: LightWish['blink'] = 'steady'): LightWish => ({ kind: 'light', colour: { red, green, blue }, blink });

describe('kuando-busylight display codec', () => {
  it('encodes steady blue as the vendor example 00 FF 00 FF 00 on fPort 15', () => {
    expect(kuandoBusylight.encode(light(0, 0, 255))).toEqual({ fPort: 15, bytes: Uint8Array.of(0x00, 0xff, 0x00, 0xff, 0x00) });
  });

  it('encodes "Turn green" as the vendor example 00 00 FF FF 00', () => {
    expect(hex(kuandoBusylight.encode(light(0, 255, 0)).bytes)).toBe('0000ffff00');
  });

  it('puts the channels in R, B, G order and blinks with on/off times', () => {
    expect(hex(kuandoBusylight.encode(light(0x11, 0x22, 0x33, 'slow')).bytes)).toBe('1133220a0a');
    expect(hex(kuandoBusylight.encode(light(255, 0, 0, 'fast')).bytes)).toBe('ff00000303');
  });

  it('shows a count wish as its colour (a free/full light over a zone)', () => {
    const frame = kuandoBusylight.encode({ kind: 'count', count: 0, text: 'FULL', arrow: 'none', colour: { red: 255, green: 0, blue: 0 }, blink: 'steady' });
    expect(hex(frame.bytes)).toBe('ff0000ff00');
  });

  it('refuses a channel out of range', () => {
    expect(() => kuandoBusylight.encode(light(256, 0, 0))).toThrow(/red must be an integer 0–255/);
    expect(() => kuandoBusylight.encode(light(0, 1.5, 0))).toThrow(/green/);
  });

  it("reads back the frame from the light's echo uplink, as ingest decodes it: the colour that was sent", () => {
    const sent = kuandoBusylight.encode(light(0, 255, 0));
    // The vendor's uplink example: the light reports steady green.
    const uplink = Uint8Array.from([208, 255, 255, 255, 30, 0, 0, 0, 8, 0, 0, 0, 6, 0, 0, 0, 0, 0, 255, 255, 0, 41, 12, 1]);
    const decoded = ingestBusylight.decode({ fPort: 15, bytes: uplink });
    expect(kuandoBusylight.echoOf(decoded.extra)).toEqual(sent);
  });

  it('reads no echo from fields without a valid colour', () => {
    expect(kuandoBusylight.echoOf({})).toBeNull();
    expect(kuandoBusylight.echoOf({ shows: { red: 300, green: 0, blue: 0, onTime: 255, offTime: 0 } })).toBeNull();
  });
});
