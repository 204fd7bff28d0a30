import { DynamicModule, Module } from '@nestjs/common';
import { STREAMS } from '@parking/contracts';
import { createIngestDatabase } from '@parking/ingest/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DevicesModule } from './devices/devices.module';
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
          // IDENTITY: provisioned here too (idempotent) so the tenant-limits consumer exists before identity first starts.
          streams: [STREAMS.INGEST, STREAMS.IDENTITY],
          consumers: [TENANT_LIMITS_CONSUMER],
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
