// Prisma CLI settings for the ingest schema. DATABASE_URL must name the schema
// (`?schema=ingest`) for `prisma migrate deploy`.
import { defineConfig, env } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: env('DATABASE_URL') },
});
