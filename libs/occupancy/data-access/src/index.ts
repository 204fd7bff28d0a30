// The occupancy service's tables, reached only through a TenantDatabase unit of work.
import { DatabaseConnectionOptions, DEFAULT_POOL_MAX, TemplateSqlClient, TenantDatabase } from '@parking/database';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

export const OCCUPANCY_SCHEMA = 'occupancy';

export type OccupancyTransaction = Prisma.TransactionClient;
export type OccupancyDatabase = TenantDatabase<OccupancyTransaction>;
/**
 * The raw-SQL part of a unit of work (tagged templates with Prisma.sql fragments, unsafe
 * strings), which a Prisma transaction and the node-postgres raw path both offer. The hot
 * path is written against it so it can run on either.
 */
export type OccupancySql = TemplateSqlClient;

export function createOccupancyDatabase(options: DatabaseConnectionOptions): OccupancyDatabase {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolMax ?? DEFAULT_POOL_MAX });
  return new TenantDatabase<OccupancyTransaction>({ client: new PrismaClient({ adapter }), schema: OCCUPANCY_SCHEMA });
}

export { Prisma } from './generated/client';
export type { Inbox, Outbox, PlatformAudit } from './generated/client';
export type {
  Sensor,
  Site,
  SiteAvailability,
  Space,
  SpaceReservation,
  SpaceSensor,
  SpaceStateRow,
  SpaceTransition,
  TenantLimits,
  UnassignedUplink,
  Zone,
  ZoneAvailability,
} from './generated/client';
