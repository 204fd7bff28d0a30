import { DynamicModule, Module } from '@nestjs/common';
import { createIngestDatabase } from '@parking/ingest/data-access';
import { STREAMS, streamLimitsOf, type StreamLimitOverrides } from '@parking/contracts';
import { dataServiceImports, retentionDays } from '@parking/service-runtime';
import type { IngestConfig } from './config';
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
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ...dataServiceImports(config, {
          database: () => createIngestDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
          consumers: [TENANT_LIMITS_CONSUMER, CHIRPSTACK_ORPHANS_CONSUMER, CHIRPSTACK_DRIFT_CONSUMER],
          retention: [
            { target: 'uplinks', keepMs: retentionDays(config.retention.uplinkDays) },
            { target: 'device_logs', keepMs: retentionDays(config.retention.deviceLogDays) },
            { target: 'event_receipts', keepMs: receiptKeepMs(config.nats.streamLimits) },
          ],
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

/**
 * A receipt stops a webhook from counting twice, so it is kept while a webhook could come again:
 * from the WEBHOOKS stream, or replayed from the dead letters.
 */
export function receiptKeepMs(limits?: StreamLimitOverrides): number {
  return Math.max(streamLimitsOf(STREAMS.WEBHOOKS, limits).maxAgeMs, streamLimitsOf(STREAMS.DEADLETTER, limits).maxAgeMs);
}
