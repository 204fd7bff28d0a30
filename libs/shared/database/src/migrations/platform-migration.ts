import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, type ServiceSchema } from '../service-schemas';
import { migrationFilePath } from './migration-files';

/**
 * Every service schema starts with the same platform tables and system-path functions. Each
 * schema keeps its own copy of that first migration (Prisma's history checksums the file), and
 * every copy is this template rendered for the schema and its runtime role.
 */
export const PLATFORM_MIGRATION = '20261123000000_platform';
export const PLATFORM_TEMPLATE = path.join('prisma', 'templates', 'platform.migration.sql');

export function renderPlatformMigration(template: string, service: ServiceSchema): string {
  return template.replaceAll('{{schema}}', service.schema).replaceAll('{{role}}', service.role);
}

/** Where a schema's copy lives under the repository root. */
export function platformMigrationPath(root: string, service: ServiceSchema): string {
  return migrationFilePath(path.join(root, 'prisma', service.schema, 'migrations'), PLATFORM_MIGRATION);
}

/** Writes every schema's copy from the template (`npm run migrations:render`); answers the files it changed. */
export async function renderPlatformMigrations(root: string): Promise<string[]> {
  const template = await readFile(path.join(root, PLATFORM_TEMPLATE), 'utf8');
  const changed: string[] = [];
  for (const service of SERVICES) {
    const file = platformMigrationPath(root, service);
    const rendered = renderPlatformMigration(template, service);
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current !== rendered) {
      await writeFile(file, rendered);
      changed.push(file);
    }
  }
  return changed;
}
