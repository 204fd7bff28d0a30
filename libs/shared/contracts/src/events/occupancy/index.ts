export * from './space-state-changed.v1';
export * from './zone-availability-changed.v1';
