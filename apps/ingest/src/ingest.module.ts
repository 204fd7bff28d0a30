import { DynamicModule, Module } from '@nestjs/common';
import { createIngestDatabase } from '@parking/ingest/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { CHIRPSTACK_DRIFT_CONSUMER } from './devices/chirpstack-drift.consumer';
import { DevicesModule } from './devices/devices.module';
import { CHIRPSTACK_ORPHANS_CONSUMER } from './orphans/chirpstack-orphans.consumer';
import { OrphansModule } from './orphans/orphans.module';
import { PipelineModule } from './pipeline/pipeline.module';
import { TENANT_LIMITS_CONSUMER } from './tenant-limits/tenant-limits.consumer';
import { TenantLimitsModule } from './tenant-limits/tenant-limits.module';

/** The ingest service: ChirpStack events to durable, deduplicated, decoded uplinks; the device registry. */
@Module({})
export class IngestModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ...dataServiceImports(config, {
          database: () => createIngestDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
          consumers: [TENANT_LIMITS_CONSUMER, CHIRPSTACK_ORPHANS_CONSUMER, CHIRPSTACK_DRIFT_CONSUMER],
        }),
        DevicesModule,
        TenantLimitsModule,
        PipelineModule,
        OrphansModule,
        DeadLettersModule,
      ],
    };
  }
}
