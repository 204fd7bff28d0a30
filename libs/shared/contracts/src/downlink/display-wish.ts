/** A colour as a sign shows it, each channel 0–255. */
export interface Colour {
  red: number;
  green: number;
  blue: number;
}

/** How a light or sign blinks; each display codec maps these to its own timings. */
export const BLINKS = ['steady', 'slow', 'fast'] as const;
export type Blink = (typeof BLINKS)[number];

export const ARROWS = ['none', 'left', 'right', 'up', 'down'] as const;
export type Arrow = (typeof ARROWS)[number];

/** A bay light: a colour and how it blinks. */
export interface LightWish {
  kind: 'light';
  colour: Colour;
  blink: Blink;
}

/** A count sign: the free spaces (null when unknown), a short text, an arrow and a colour. */
export interface CountWish {
  kind: 'count';
  count: number | null;
  text: string;
  arrow: Arrow;
  colour: Colour;
  blink: Blink;
}

/** What a display should show; the downlink service's display codecs turn it into a frame. */
export type DisplayWish = LightWish | CountWish;

/** Named colours policies start from. */
export const COLOURS = {
  off: { red: 0, green: 0, blue: 0 },
  green: { red: 0, green: 255, blue: 0 },
  red: { red: 255, green: 0, blue: 0 },
  blue: { red: 0, green: 0, blue: 255 },
  amber: { red: 255, green: 160, blue: 0 },
  white: { red: 255, green: 255, blue: 255 },
} as const satisfies Record<string, Colour>;
