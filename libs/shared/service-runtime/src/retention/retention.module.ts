import { DynamicModule, Module } from '@nestjs/common';
import type { TenantDatabase } from '@parking/database';
import type { DataServiceConfig } from '../service-config';
import { TENANT_DATABASE } from '../tenant-database.module';
import { platformRetentionTargets, RetentionPurger, RetentionTarget } from './retention-purger';

/** Every data service's RetentionPurger: the platform tables' targets, then the service's own. */
@Module({})
export class RetentionModule {
  static forRoot(config: DataServiceConfig, targets: readonly RetentionTarget[] = []): DynamicModule {
    const all = [...platformRetentionTargets({ outboxHours: config.retention.outboxHours, streamLimits: config.nats.streamLimits }), ...targets];
    return {
      module: RetentionModule,
      providers: [{ provide: RetentionPurger, useFactory: (db: TenantDatabase) => new RetentionPurger(db, all, { intervalMs: config.retention.intervalMs }), inject: [TENANT_DATABASE] }],
      exports: [RetentionPurger],
    };
  }
}
