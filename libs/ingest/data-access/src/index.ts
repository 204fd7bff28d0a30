// The ingest service's tables, reached only through a TenantDatabase unit of work.
import { DatabaseConnectionOptions, DEFAULT_POOL_MAX, TenantDatabase } from '@parking/database';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

export const INGEST_SCHEMA = 'ingest';

export type IngestTransaction = Prisma.TransactionClient;
export type IngestDatabase = TenantDatabase<IngestTransaction>;

export function createIngestDatabase(options: DatabaseConnectionOptions): IngestDatabase {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolMax ?? DEFAULT_POOL_MAX });
  return new TenantDatabase<IngestTransaction>({ client: new PrismaClient({ adapter }), schema: INGEST_SCHEMA });
}

export { Prisma } from './generated/client';
export type { Device, Inbox, Outbox, PlatformAudit, TenantLimits } from './generated/client';
export type { DeadLetterReplay, DeviceLog, EventReceipt, Orphan, OrphanEvent, Uplink } from './generated/client';
