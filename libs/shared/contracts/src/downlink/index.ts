export * from './display-wish';
export * from './signage-policy';
export * from './display-payloads';
export * from './policy-payloads';
export * from './downlink-rpc';
