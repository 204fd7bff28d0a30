export * from './space-states';
export * from './occupancy-rpc';
