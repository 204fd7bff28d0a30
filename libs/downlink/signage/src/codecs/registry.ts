import { countDisplay } from './count-display';
import type { DisplayCodec } from './display-codec';
import { kuandoBusylight } from './kuando-busylight';

/** Every display model the service can drive, by id. */
export const DISPLAY_CODECS: Readonly<Record<string, DisplayCodec>> = Object.freeze(Object.fromEntries([kuandoBusylight, countDisplay].map((codec) => [codec.id, codec])));

export const DISPLAY_CODEC_IDS = Object.keys(DISPLAY_CODECS);

export function displayCodecById(id: string): DisplayCodec | undefined {
  return Object.prototype.hasOwnProperty.call(DISPLAY_CODECS, id) ? DISPLAY_CODECS[id] : undefined;
}
