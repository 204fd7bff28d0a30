/**
 * Kuando Busylight IoT (Plenom), LoRaWAN class C. Downlink on fPort 15, 5 bytes: red, blue,
 * green (0–255 each; the order really is R, B, G), then on-time and off-time. The vendor's
 * examples: `00 FF 00 FF 00` is steady blue, "Turn green" is `00 00 FF FF 00`; an off-time of 0
 * keeps the light on. Blinks use on/off times in the light's unit (tenths of a second in its
 * USB protocol): slow 1 s on, 1 s off; fast 0.3 s each.
 *
 * The light's 24-byte status uplink (ingest's `kuando-busylight` codec) echoes the five bytes it
 * shows, as `fields.shows`. A count wish shows its colour and blink: a Busylight over a zone is
 * a free/full light.
 */
import type { Blink, DisplayWish } from '@parking/contracts';
import { channel, type DisplayCodec } from './display-codec';

const ID = 'kuando-busylight';
const PORT = 15;
const TIMES: Record<Blink, [on: number, off: number]> = { steady: [255, 0], slow: [10, 10], fast: [3, 3] };

function encode(wish: DisplayWish) {
  const { red, green, blue } = wish.colour;
  const [on, off] = TIMES[wish.blink];
  return { fPort: PORT, bytes: Uint8Array.of(channel(ID, 'red', red), channel(ID, 'blue', blue), channel(ID, 'green', green), on, off) };
}

function echoOf(fields: Record<string, unknown>) {
  const shows = fields['shows'] as Record<string, unknown> | undefined;
  if (!shows || typeof shows !== 'object') return null;
  const bytes = [shows['red'], shows['blue'], shows['green'], shows['onTime'], shows['offTime']];
  if (!bytes.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255)) return null;
  return { fPort: PORT, bytes: Uint8Array.from(bytes as number[]) };
}

export const kuandoBusylight: DisplayCodec = { id: ID, name: 'Kuando Busylight IoT (LoRaWAN, class C)', deviceClass: 'C', encode, echoOf };
