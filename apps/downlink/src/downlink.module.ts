import { DynamicModule, Module } from '@nestjs/common';
import { createDownlinkDatabase } from '@parking/downlink/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';

/** The downlink service: signage: display policies and the downlink queue. */
@Module({})
export class DownlinkModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: DownlinkModule,
      imports: dataServiceImports(config, {
        database: () => createDownlinkDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
      }),
    };
  }
}
