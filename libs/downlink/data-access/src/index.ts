// The downlink service's tables, reached only through a TenantDatabase unit of work.
import { DatabaseConnectionOptions, DEFAULT_POOL_MAX, TenantDatabase } from '@parking/database';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

export const DOWNLINK_SCHEMA = 'downlink';

export type DownlinkTransaction = Prisma.TransactionClient;
export type DownlinkDatabase = TenantDatabase<DownlinkTransaction>;

export function createDownlinkDatabase(options: DatabaseConnectionOptions): DownlinkDatabase {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolMax ?? DEFAULT_POOL_MAX });
  return new TenantDatabase<DownlinkTransaction>({ client: new PrismaClient({ adapter }), schema: DOWNLINK_SCHEMA });
}

export { Prisma } from './generated/client';
export type { Inbox, Outbox, PlatformAudit } from './generated/client';
