export * from './lib/types';
export { parseChirpstackEvent, dedupKey, MAX_BODY_BYTES } from './lib/parse';
export { detectJsonFormat } from './lib/normalise';
export { encodeIntegrationEvent, decodeIntegrationEvent } from './lib/protobuf';
