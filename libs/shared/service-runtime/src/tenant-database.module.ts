import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { RawSqlClient, TenantDatabase } from '@parking/database';
import { ReadinessRegistry } from './readiness-registry';

/** Injection token of the service's TenantDatabase. */
export const TENANT_DATABASE = Symbol('TENANT_DATABASE');

/**
 * The same database over node-postgres (PgSqlClient): raw SQL only, about a sixth of
 * Prisma's CPU per statement. For the hot consumers, whose few statements run all day.
 */
export const RAW_TENANT_DATABASE = Symbol('RAW_TENANT_DATABASE');
export type RawTenantDatabase = TenantDatabase<RawSqlClient>;

@Injectable()
class TenantDatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(TENANT_DATABASE) private readonly database: TenantDatabase,
    @Inject(RAW_TENANT_DATABASE) private readonly raw: RawTenantDatabase | null,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('postgres', () => this.database.ping());
  }

  /** Runs after consumers and the outbox relay have stopped (they stop in beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.database.close(), this.raw?.close()]);
  }
}

/** Provides the service's own TenantDatabase (and its raw twin), checks it for readiness and closes both last. */
@Global()
@Module({})
export class TenantDatabaseModule {
  static forRoot(create: () => TenantDatabase, createRaw?: () => RawTenantDatabase): DynamicModule {
    return {
      module: TenantDatabaseModule,
      providers: [
        { provide: TENANT_DATABASE, useFactory: create },
        { provide: RAW_TENANT_DATABASE, useFactory: () => createRaw?.() ?? null },
        TenantDatabaseLifecycle,
      ],
      exports: [TENANT_DATABASE, RAW_TENANT_DATABASE],
    };
  }
}
