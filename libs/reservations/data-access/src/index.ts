// The reservations service's tables, reached only through a TenantDatabase unit of work.
import { DatabaseConnectionOptions, DEFAULT_POOL_MAX, TenantDatabase } from '@parking/database';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

export const RESERVATIONS_SCHEMA = 'reservations';

export type ReservationsTransaction = Prisma.TransactionClient;
export type ReservationsDatabase = TenantDatabase<ReservationsTransaction>;

export function createReservationsDatabase(options: DatabaseConnectionOptions): ReservationsDatabase {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolMax ?? DEFAULT_POOL_MAX });
  return new TenantDatabase<ReservationsTransaction>({ client: new PrismaClient({ adapter }), schema: RESERVATIONS_SCHEMA });
}

export { Prisma } from './generated/client';
export type { Inbox, Outbox, PlatformAudit } from './generated/client';
