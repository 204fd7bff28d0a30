// The downlink service's tables, reached only through a TenantDatabase unit of work. Every
// statement is raw SQL, so the service runs over node-postgres (PgSqlClient), lighter per
// statement than Prisma's engine; Prisma's schema and migrations still describe the tables and
// its `Prisma.sql` builds the statements.
import { DatabaseConnectionOptions, DEFAULT_POOL_MAX, PgSqlClient, TenantDatabase, type RawSqlClient } from '@parking/database';
import { Prisma } from './generated/client';

export const DOWNLINK_SCHEMA = 'downlink';

export type DownlinkTransaction = RawSqlClient;
export type DownlinkDatabase = TenantDatabase<DownlinkTransaction>;

export function createDownlinkDatabase(options: DatabaseConnectionOptions & { applicationName?: string }): DownlinkDatabase {
  const client = new PgSqlClient({
    url: options.url,
    max: options.poolMax ?? DEFAULT_POOL_MAX,
    applicationName: options.applicationName ?? 'downlink',
    template: (strings, ...values) => Prisma.sql(strings, ...values),
  });
  return new TenantDatabase<DownlinkTransaction>({ client, schema: DOWNLINK_SCHEMA });
}

export { Prisma } from './generated/client';
export type { Inbox, Outbox, PlatformAudit } from './generated/client';
