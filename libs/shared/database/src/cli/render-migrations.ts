// `npm run migrations:render`: writes each schema's platform migration from
// prisma/templates/*.migration.sql (PLATFORM_TEMPLATES). Run it from the repository root after changing the
// template, and only before the migration was applied anywhere: its checksum is in every history.
import { renderPlatformMigrations } from '../migrations/platform-migration';

renderPlatformMigrations(process.cwd()).then(
  (changed) => process.stdout.write(changed.length === 0 ? 'every platform migration matches the template\n' : `rendered ${changed.join(', ')}\n`),
  (error: unknown) => {
    process.stderr.write(`migrations:render failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
