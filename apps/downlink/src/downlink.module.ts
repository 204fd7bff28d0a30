import { DynamicModule, Module } from '@nestjs/common';
import { createDownlinkDatabase, Prisma } from '@parking/downlink/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';
import { AvailabilityEventsConsumer } from './inventory/availability-events.consumer';
import { DeviceEventsConsumer } from './inventory/device-events.consumer';
import { DOWNLINK_CONSUMERS } from './inventory/downlink-consumers';
import { SpaceEventsConsumer } from './inventory/space-events.consumer';

/** The downlink service: signage: display policies and the downlink queue. */
@Module({})
export class DownlinkModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: DownlinkModule,
      imports: dataServiceImports(config, {
        database: () => createDownlinkDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        sqlTemplate: (strings, ...values) => Prisma.sql(strings, ...values),
        consumers: [...DOWNLINK_CONSUMERS],
      }),
      providers: [DeviceEventsConsumer, SpaceEventsConsumer, AvailabilityEventsConsumer],
    };
  }
}
