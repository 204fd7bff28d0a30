export * from './tenant-created.v1';
export * from './tenant-suspended.v1';
