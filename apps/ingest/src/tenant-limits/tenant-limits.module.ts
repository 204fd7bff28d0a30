import { Module } from '@nestjs/common';
import { TenantLimitsConsumer } from './tenant-limits.consumer';

/** Ingest's copy of each tenant's device limit, from identity's limits_changed events. */
@Module({ providers: [TenantLimitsConsumer], exports: [TenantLimitsConsumer] })
export class TenantLimitsModule {}
