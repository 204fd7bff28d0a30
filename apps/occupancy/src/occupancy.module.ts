import { DynamicModule, Module } from '@nestjs/common';
import { STREAMS } from '@parking/contracts';
import { createOccupancyDatabase } from '@parking/occupancy/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';

/** The occupancy service: sites, spaces and their live state. */
@Module({})
export class OccupancyModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: OccupancyModule,
      imports: dataServiceImports(config, {
        database: () => createOccupancyDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        streams: [STREAMS.OCCUPANCY],
      }),
    };
  }
}
