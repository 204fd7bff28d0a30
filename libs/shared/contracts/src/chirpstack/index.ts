export * from './connection-payloads';
export * from './chirpstack-rpc';
