import { countDisplay } from './count-display';
import { DISPLAY_CODEC_IDS, displayCodecById } from './registry';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('count-display reference frame', () => {
  it('encodes a count, an arrow, a colour, a blink and a text on fPort 20', () => {
    const frame = countDisplay.encode({ kind: 'count', count: 258, text: 'P3', arrow: 'right', colour: { red: 0, green: 255, blue: 0 }, blink: 'steady' });
    expect(frame.fPort).toBe(20);
    expect(hex(frame.bytes)).toBe('01' + '0102' + '02' + '00ff00' + '00' + '5033');
  });

  it('writes an unknown count as FFFF and a full sign with its text', () => {
    expect(hex(countDisplay.encode({ kind: 'count', count: null, text: '', arrow: 'none', colour: { red: 0, green: 0, blue: 0 }, blink: 'steady' }).bytes)).toBe('01ffff0000000000');
    expect(hex(countDisplay.encode({ kind: 'count', count: 0, text: 'FULL', arrow: 'none', colour: { red: 255, green: 0, blue: 0 }, blink: 'slow' }).bytes)).toBe('01' + '0000' + '00' + 'ff0000' + '01' + '46554c4c');
  });

  it('encodes a bay light wish as a frame with no count, arrow or text', () => {
    expect(hex(countDisplay.encode({ kind: 'light', colour: { red: 0, green: 0, blue: 255 }, blink: 'fast' }).bytes)).toBe('01ffff000000ff02');
  });

  it('refuses what the frame cannot carry', () => {
    const base = { kind: 'count' as const, arrow: 'none' as const, colour: { red: 0, green: 0, blue: 0 }, blink: 'steady' as const };
    expect(() => countDisplay.encode({ ...base, count: 65_535, text: '' })).toThrow(/count must be an integer/);
    expect(() => countDisplay.encode({ ...base, count: -1, text: '' })).toThrow(/count/);
    expect(() => countDisplay.encode({ ...base, count: 1, text: 'x'.repeat(13) })).toThrow(/at most 12/);
    expect(() => countDisplay.encode({ ...base, count: 1, text: 'Überfüllt' })).toThrow(/printable ASCII/);
  });

  it('reads the echoed frame back', () => {
    const frame = countDisplay.encode({ kind: 'count', count: 7, text: 'L2', arrow: 'up', colour: { red: 0, green: 255, blue: 0 }, blink: 'steady' });
    expect(countDisplay.echoOf({ frame: hex(frame.bytes) })).toEqual(frame);
    expect(countDisplay.echoOf({ frame: 'zz' })).toBeNull();
  });

  it('is one of the registered codecs, each under its own id', () => {
    expect(DISPLAY_CODEC_IDS.sort()).toEqual(['count-display', 'kuando-busylight']);
    for (const id of DISPLAY_CODEC_IDS) expect(displayCodecById(id)?.id).toBe(id);
    expect(displayCodecById('toString')).toBeUndefined();
  });
});
