export * from './device-orphan-found.v1';
export * from './reconciliation-completed.v1';
export * from './gateway-state';
export * from './gateway-online.v1';
export * from './gateway-offline.v1';
export * from './device-drift-adopted.v1';
