// The chirpstack-sync service's tables, reached only through a TenantDatabase unit of work.
import { DatabaseConnectionOptions, DEFAULT_POOL_MAX, TenantDatabase } from '@parking/database';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

export const CHIRPSTACK_SCHEMA = 'chirpstack';

export type ChirpstackSyncTransaction = Prisma.TransactionClient;
export type ChirpstackSyncDatabase = TenantDatabase<ChirpstackSyncTransaction>;

export function createChirpstackSyncDatabase(options: DatabaseConnectionOptions): ChirpstackSyncDatabase {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolMax ?? DEFAULT_POOL_MAX });
  return new TenantDatabase<ChirpstackSyncTransaction>({ client: new PrismaClient({ adapter }), schema: CHIRPSTACK_SCHEMA });
}

export { Prisma } from './generated/client';
export type { Inbox, Outbox, PlatformAudit } from './generated/client';
