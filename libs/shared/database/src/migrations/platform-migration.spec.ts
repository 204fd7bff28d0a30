import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICES } from '../service-schemas';
import { PLATFORM_TEMPLATES, platformMigrationPath, renderPlatformMigration } from './platform-migration';

const root = path.resolve(__dirname, '../../../../..');
const cases = PLATFORM_TEMPLATES.flatMap(({ migration, template }) => {
  const text = readFileSync(path.join(root, template), 'utf8');
  return SERVICES.map((service) => ({ migration, text, service }));
});

describe('the platform migrations of every schema', () => {
  it.each(cases.map((c) => [c.migration, c.service.schema, c]))(
    '%s of %s is its template rendered for the schema and role (npm run migrations:render)',
    (_migration, _schema, { migration, text, service }) => {
      expect(readFileSync(platformMigrationPath(root, service, migration), 'utf8')).toBe(renderPlatformMigration(text, service));
    },
  );

  it('leaves no placeholder behind and names only its own schema and role', () => {
    for (const { text, service } of cases) {
      const rendered = renderPlatformMigration(text, service);
      expect(rendered).not.toMatch(/\{\{|\}\}/);
      for (const other of SERVICES.filter((s) => s !== service)) {
        expect(rendered).not.toContain(`${other.schema}.`);
        expect(rendered).not.toContain(other.role);
      }
    }
  });

  it('runs the templates in the order they are listed', () => {
    const names = PLATFORM_TEMPLATES.map((t) => t.migration);
    expect([...names].sort()).toEqual(names);
  });
});
