import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { TenantDatabase } from '@parking/database';
import { ReadinessRegistry } from './readiness-registry';

/** Injection token of the service's TenantDatabase. */
export const TENANT_DATABASE = Symbol('TENANT_DATABASE');

@Injectable()
class TenantDatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(TENANT_DATABASE) private readonly database: TenantDatabase,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('postgres', () => this.database.ping());
  }

  /** Runs after consumers and the outbox relay have stopped (they stop in beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/** Provides the service's own TenantDatabase, checks it for readiness and closes it last. */
@Global()
@Module({})
export class TenantDatabaseModule {
  static forRoot(create: () => TenantDatabase): DynamicModule {
    return {
      module: TenantDatabaseModule,
      providers: [{ provide: TENANT_DATABASE, useFactory: create }, TenantDatabaseLifecycle],
      exports: [TENANT_DATABASE],
    };
  }
}
