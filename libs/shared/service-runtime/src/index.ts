export * from './health.controller';
export * from './readiness-registry';
export * from './run-service';
export * from './service-config';
export * from './service-runtime.module';
export * from './service-version';
export * from './tenant-database.module';
export * from './boot-service-config';
