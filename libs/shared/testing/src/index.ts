export { expectEventually } from './expect-eventually';
export type { EventuallyOptions } from './expect-eventually';
export { uniqueNamespace } from './namespace';
export { createTestDatabase, databaseUrl, dropDatabase, testAdminUrl } from './test-database';
export type { CreateTestDatabaseOptions, TestDatabase } from './test-database';
export * from './service-launcher';
export * from './namespace-streams';
export * from './fiware/fiware-validator';
export * from './event-stream-client';
