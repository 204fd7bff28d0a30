export { MigrationError } from './migration-error';
export { readMigrationFiles } from './migration-files';
export type { MigrationFile } from './migration-files';
export { runMigrations } from './runner';
export { renderPlatformMigration, renderPlatformMigrations, PLATFORM_MIGRATION, PLATFORM_TEMPLATE, PLATFORM_TEMPLATES } from './platform-migration';
export type { PlatformTemplate } from './platform-migration';
export type { MigrationReport, RunMigrationsOptions } from './runner';
