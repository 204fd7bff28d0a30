import type { DisplayWish } from '@parking/contracts';
import type { DownlinkFrame } from '../wish';

/**
 * Turns a wish into the frame one kind of display understands. One file per display model
 * under `codecs/`, listed in `registry.ts`.
 */
export interface DisplayCodec {
  id: string;
  name: string;
  /** LoRaWAN class the display listens in (class C: downlinks go out at once, at the RX2 data rate). */
  deviceClass: 'A' | 'C';
  encode(wish: DisplayWish): DownlinkFrame;
  /**
   * The frame the display says it shows, from the fields ingest's codec decoded from its uplink;
   * null when the uplink tells nothing about it. Compared byte for byte with the frame sent.
   */
  echoOf(fields: Record<string, unknown>): DownlinkFrame | null;
}

/** A wish a codec cannot turn into a frame (a value out of range). */
export class DisplayCodecError extends Error {
  override readonly name = 'DisplayCodecError';

  constructor(
    readonly codecId: string,
    detail: string,
  ) {
    super(`${codecId}: ${detail}`);
  }
}

/** A colour channel as a byte, or a DisplayCodecError naming it. */
export function channel(codecId: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) throw new DisplayCodecError(codecId, `${name} must be an integer 0–255, got ${value}`);
  return value;
}
