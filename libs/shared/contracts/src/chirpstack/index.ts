export * from './connection-payloads';
export * from './chirpstack-rpc';
export * from './downlink-payloads';
