import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface MigrationFile {
  /** The folder name, e.g. `20261123000000_platform`; also Prisma's `migration_name`. */
  name: string;
  /** Path of its migration.sql. */
  file: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma records it. */
  checksum: string;
}

/** The migrations of one schema in the order they apply (folder name order). */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  if (!existsSync(migrationsDir)) {
    throw new Error(`No migrations folder at ${migrationsDir}`);
  }
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const file = migrationFilePath(migrationsDir, name);
      if (!existsSync(file)) throw new Error(`Migration folder ${name} has no migration.sql (expected ${file})`);
      const bytes = await readFile(file);
      return { name, file, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

export function migrationFilePath(migrationsDir: string, name: string): string {
  return path.join(migrationsDir, name, 'migration.sql');
}
