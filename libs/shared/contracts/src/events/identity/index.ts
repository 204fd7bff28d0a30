export * from './api-key-revoked.v1';
export * from './tenant-created.v1';
export * from './tenant-limits-changed.v1';
export * from './tenant-suspended.v1';
export * from './user-removed.v1';
export * from './webhook-integration-deleted.v1';
export * from './webhook-integration-upserted.v1';
