export * from './proof-keys';
export * from './rpc-proof';
