/**
 * The reference frame for count signs (`count-display`), for integrators building or
 * adapting a sign. fPort 20, 8 to 20 bytes:
 *
 * | byte | meaning |
 * | --- | --- |
 * | 0 | frame version, 0x01 |
 * | 1–2 | free spaces, unsigned 16-bit big-endian; 0xFFFF when unknown |
 * | 3 | arrow: 0 none, 1 left, 2 right, 3 up, 4 down |
 * | 4–6 | colour: red, green, blue |
 * | 7 | blink: 0 steady, 1 slow, 2 fast |
 * | 8– | text, printable ASCII, up to 12 bytes (e.g. `FULL`); absent when empty |
 *
 * A bay light wish is a frame with no count, no arrow and no text. A sign that confirms what it
 * shows sends the same bytes back on fPort 20 (decoded by ingest as `fields.frame`, hex).
 */
import { ARROWS, BLINKS, type DisplayWish } from '@parking/contracts';
import { channel, DisplayCodecError, type DisplayCodec } from './display-codec';

const ID = 'count-display';
const PORT = 20;
const VERSION = 0x01;
const UNKNOWN_COUNT = 0xffff;
export const COUNT_DISPLAY_TEXT_MAX = 12;

function encode(wish: DisplayWish) {
  const count = wish.kind === 'count' ? wish.count : null;
  if (count !== null && (!Number.isInteger(count) || count < 0 || count >= UNKNOWN_COUNT)) {
    throw new DisplayCodecError(ID, `count must be an integer 0–${UNKNOWN_COUNT - 1} or unknown, got ${count}`);
  }
  const text = wish.kind === 'count' ? wish.text : '';
  if (text.length > COUNT_DISPLAY_TEXT_MAX || !/^[\x20-\x7e]*$/.test(text)) {
    throw new DisplayCodecError(ID, `text must be at most ${COUNT_DISPLAY_TEXT_MAX} printable ASCII characters, got "${text.slice(0, 20)}"`);
  }
  const value = count ?? UNKNOWN_COUNT;
  const arrow = wish.kind === 'count' ? ARROWS.indexOf(wish.arrow) : 0;
  const { red, green, blue } = wish.colour;
  const head = [VERSION, value >> 8, value & 0xff, arrow, channel(ID, 'red', red), channel(ID, 'green', green), channel(ID, 'blue', blue), BLINKS.indexOf(wish.blink)];
  return { fPort: PORT, bytes: Uint8Array.from([...head, ...Buffer.from(text, 'ascii')]) };
}

function echoOf(fields: Record<string, unknown>) {
  const frame = fields['frame'];
  if (typeof frame !== 'string' || !/^(?:[0-9a-f]{2}){8,20}$/i.test(frame)) return null;
  return { fPort: PORT, bytes: Uint8Array.from(Buffer.from(frame, 'hex')) };
}

export const countDisplay: DisplayCodec = { id: ID, name: 'Count display (reference frame)', deviceClass: 'C', encode, echoOf };
