import { DynamicModule, Module } from '@nestjs/common';
import { STREAMS } from '@parking/contracts';
import { createIngestDatabase } from '@parking/ingest/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';

/** The ingest service: ChirpStack events to durable, deduplicated, decoded uplinks; the device registry. */
@Module({})
export class IngestModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: dataServiceImports(config, {
        database: () => createIngestDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        streams: [STREAMS.INGEST],
      }),
    };
  }
}
