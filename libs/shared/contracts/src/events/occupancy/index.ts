export * from './site-removed.v1';
export * from './site-upserted.v1';
export * from './space-removed.v1';
export * from './space-state-changed.v1';
export * from './space-upserted.v1';
export * from './zone-availability-changed.v1';
export * from './zone-removed.v1';
export * from './zone-upserted.v1';
