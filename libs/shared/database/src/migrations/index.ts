export { MigrationError } from './migration-error';
export { readMigrationFiles } from './migration-files';
export type { MigrationFile } from './migration-files';
export { runMigrations } from './runner';
export type { MigrationReport, RunMigrationsOptions } from './runner';
