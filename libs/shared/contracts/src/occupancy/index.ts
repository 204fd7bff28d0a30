export * from './space-states';
export * from './occupancy-rpc';
export * from './history-rpc';
export * from './stats-rpc';
export * from './interop-rpc';
export * from './import-rpc';
