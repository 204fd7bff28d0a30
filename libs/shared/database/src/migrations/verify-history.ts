import { MigrationError } from './migration-error';
import { MigrationFile, migrationFilePath } from './migration-files';
import { AppliedMigration } from './migrations-table';

/**
 * Refuses to go on when the database's history and the files disagree: an applied
 * migration was edited or deleted, or an earlier attempt stopped half-way.
 */
export function verifyHistory(schema: string, migrationsDir: string, files: MigrationFile[], applied: AppliedMigration[]): void {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of applied) {
    const file = byName.get(row.migration_name);
    const where = file?.file ?? migrationFilePath(migrationsDir, row.migration_name);
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${schema}/${row.migration_name} (${where}) started at ${row.started_at.toISOString()} and never finished. ` +
          `Repair the schema by hand, then mark it rolled back (set rolled_back_at in ${schema}._prisma_migrations, ` +
          `or \`prisma migrate resolve --rolled-back ${row.migration_name}\`) before migrating again.`,
        schema,
        row.migration_name,
        where,
      );
    }
    if (!file) {
      throw new MigrationError(
        `Migration ${schema}/${row.migration_name} is applied but its file ${where} is missing. Restore it from version control.`,
        schema,
        row.migration_name,
        where,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${schema}/${row.migration_name} was changed after it was applied: ${where} no longer matches the checksum ` +
          `recorded in ${schema}._prisma_migrations. Restore the file and put the change in a new migration.`,
        schema,
        row.migration_name,
        where,
      );
    }
  }
}
