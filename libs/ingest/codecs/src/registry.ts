import { boschTps110 } from './codecs/bosch';
import { browanTbdw100 } from './codecs/browan';
import { chirpstackObject } from './codecs/chirpstack-object';
import { countDisplay } from './codecs/count-display';
import { dingtekDo201 } from './codecs/dingtek';
import { kuandoBusylight } from './codecs/kuando';
import { nwaveNps310, nwaveNps405 } from './codecs/nwave';
import { CodecId, SensorCodec } from './types';

export const CODECS: Readonly<Record<CodecId, SensorCodec>> = Object.freeze({
  'nwave-nps405': nwaveNps405,
  'nwave-nps310': nwaveNps310,
  'bosch-tps110': boschTps110,
  'dingtek-do201': dingtekDo201,
  'browan-tbdw100': browanTbdw100,
  'kuando-busylight': kuandoBusylight,
  'count-display': countDisplay,
  'chirpstack-object': chirpstackObject,
});

export const CODEC_IDS = Object.keys(CODECS) as CodecId[];

export function isCodecId(id: string): id is CodecId {
  return Object.prototype.hasOwnProperty.call(CODECS, id);
}

/** The codec with this id, or undefined for an unknown id. */
export function codecById(id: string): SensorCodec | undefined {
  return isCodecId(id) ? CODECS[id] : undefined;
}
