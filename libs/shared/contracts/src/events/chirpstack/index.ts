export * from './device-orphan-found.v1';
export * from './reconciliation-completed.v1';
