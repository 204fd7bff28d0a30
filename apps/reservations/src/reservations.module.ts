import { DynamicModule, Module } from '@nestjs/common';
import { createReservationsDatabase } from '@parking/reservations/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';

/** The reservations service: reservations without double booking. */
@Module({})
export class ReservationsModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: ReservationsModule,
      imports: dataServiceImports(config, {
        database: () => createReservationsDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
      }),
    };
  }
}
