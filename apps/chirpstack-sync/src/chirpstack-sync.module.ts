import { DynamicModule, Module } from '@nestjs/common';
import { createChirpstackSyncDatabase } from '@parking/chirpstack-sync/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';

/** The chirpstack-sync service: keeps ChirpStack's device registry in step with ours. */
@Module({})
export class ChirpstackSyncModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: ChirpstackSyncModule,
      imports: dataServiceImports(config, {
        database: () => createChirpstackSyncDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
      }),
    };
  }
}
