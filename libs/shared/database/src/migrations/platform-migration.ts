import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVICES, type ServiceSchema } from '../service-schemas';
import { migrationFilePath } from './migration-files';

/**
 * Migrations every service schema carries alike: the platform tables and system-path functions,
 * then the platform-admin entry point, then retention. Each schema keeps its own copy of each (Prisma's history
 * checksums the file), and every copy is its template rendered for the schema and runtime role.
 */
export interface PlatformTemplate {
  /** The migration folder in every schema, e.g. `20261123000000_platform`. */
  migration: string;
  /** The template, relative to the repository root. */
  template: string;
}

export const PLATFORM_MIGRATION = '20261123000000_platform';
export const PLATFORM_TEMPLATE = path.join('prisma', 'templates', 'platform.migration.sql');

export const PLATFORM_TEMPLATES: readonly PlatformTemplate[] = Object.freeze([
  { migration: PLATFORM_MIGRATION, template: PLATFORM_TEMPLATE },
  { migration: '20261210000000_platform_admin_entry', template: path.join('prisma', 'templates', 'platform-admin.migration.sql') },
  { migration: '20261231000000_platform_retention', template: path.join('prisma', 'templates', 'platform-retention.migration.sql') },
]);

export function renderPlatformMigration(template: string, service: ServiceSchema): string {
  return template
    .replaceAll('{{schema}}', service.schema)
    .replaceAll('{{platform_admin_role}}', service.platformAdminRole)
    .replaceAll('{{role}}', service.role);
}

/** Where a schema's copy lives under the repository root. */
export function platformMigrationPath(root: string, service: ServiceSchema, migration: string = PLATFORM_MIGRATION): string {
  return migrationFilePath(path.join(root, 'prisma', service.schema, 'migrations'), migration);
}

/** Writes every schema's copy of every template (`npm run migrations:render`); answers the files it changed. */
export async function renderPlatformMigrations(root: string): Promise<string[]> {
  const changed: string[] = [];
  for (const { migration, template: templatePath } of PLATFORM_TEMPLATES) {
    const template = await readFile(path.join(root, templatePath), 'utf8');
    for (const service of SERVICES) {
      const file = platformMigrationPath(root, service, migration);
      const rendered = renderPlatformMigration(template, service);
      const current = await readFile(file, 'utf8').catch(() => undefined);
      if (current !== rendered) {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, rendered);
        changed.push(file);
      }
    }
  }
  return changed;
}
