import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES } from '../service-schemas';
import { PLATFORM_TEMPLATE, platformMigrationPath, renderPlatformMigration } from './platform-migration';

const root = path.resolve(__dirname, '../../../../..');
const template = readFileSync(path.join(root, PLATFORM_TEMPLATE), 'utf8');

describe('the platform migration of every schema', () => {
  it.each(SERVICES.map((s) => [s.schema, s]))('%s is the template rendered for its schema and role (npm run migrations:render)', (_schema, service) => {
    expect(readFileSync(platformMigrationPath(root, service), 'utf8')).toBe(renderPlatformMigration(template, service));
  });

  it('leaves no placeholder behind and names only its own schema and role', () => {
    for (const service of SERVICES) {
      const rendered = renderPlatformMigration(template, service);
      expect(rendered).not.toMatch(/\{\{|\}\}/);
      for (const other of SERVICES.filter((s) => s !== service)) {
        expect(rendered).not.toContain(`${other.schema}.`);
        expect(rendered).not.toContain(other.role);
      }
    }
  });
});
