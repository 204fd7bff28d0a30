import type { DisplayWish } from '@parking/contracts';

/** One downlink: the application port and the bytes. */
export interface DownlinkFrame {
  fPort: number;
  bytes: Uint8Array;
}

/** Two wishes show the same thing. */
export function sameWish(a: DisplayWish, b: DisplayWish): boolean {
  return JSON.stringify(canonicalWish(a)) === JSON.stringify(canonicalWish(b));
}

function canonicalWish(wish: DisplayWish): unknown[] {
  const colour = [wish.colour.red, wish.colour.green, wish.colour.blue];
  return wish.kind === 'light' ? ['light', colour, wish.blink] : ['count', wish.count, wish.text, wish.arrow, colour, wish.blink];
}
