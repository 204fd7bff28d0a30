// The identity service's tables, reached only through a TenantDatabase unit of work.
import { DatabaseConnectionOptions, DEFAULT_POOL_MAX, TenantDatabase } from '@parking/database';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

export const IDENTITY_SCHEMA = 'identity';

export type IdentityTransaction = Prisma.TransactionClient;
export type IdentityDatabase = TenantDatabase<IdentityTransaction>;

export function createIdentityDatabase(options: DatabaseConnectionOptions): IdentityDatabase {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolMax ?? DEFAULT_POOL_MAX });
  return new TenantDatabase<IdentityTransaction>({ client: new PrismaClient({ adapter }), schema: IDENTITY_SCHEMA });
}

export { Prisma } from './generated/client';
export type {
  ApiKey,
  ApiKeyUsageDaily,
  Inbox,
  Invitation,
  LoginThrottle,
  Outbox,
  PasswordReset,
  PlatformAudit,
  RefreshToken,
  Registration,
  SigningKey,
  Tenant,
  User,
  WebhookIntegration,
} from './generated/client';
export * from './tenant-of';
