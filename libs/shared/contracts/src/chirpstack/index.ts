export * from './connection-payloads';
export * from './chirpstack-rpc';
export * from './downlink-payloads';
export * from './device-sync-payloads';
export * from './reconciliation-payloads';
export * from './gateway-payloads';
