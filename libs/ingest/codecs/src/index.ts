export * from './types';
export { CODECS, CODEC_IDS, codecById, isCodecId } from './registry';
export { nwaveNps405, nwaveNps310, nwavePreviousState } from './codecs/nwave';
export { boschTps110 } from './codecs/bosch';
export { dingtekDo201 } from './codecs/dingtek';
export { browanTbdw100 } from './codecs/browan';
export { kuandoBusylight, type BusylightShows } from './codecs/kuando';
export { countDisplay } from './codecs/count-display';
export { chirpstackObject, toOccupancy } from './codecs/chirpstack-object';
