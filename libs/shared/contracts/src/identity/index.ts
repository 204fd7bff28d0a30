export * from './identity-rpc';
export * from './permissions';
export * from './principal';
export * from './usage-limits';
