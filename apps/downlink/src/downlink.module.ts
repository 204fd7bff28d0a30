import { DynamicModule, Module } from '@nestjs/common';
import { createDownlinkDatabase, Prisma } from '@parking/downlink/data-access';
import { dataServiceImports } from '@parking/service-runtime';
import type { DownlinkConfig } from './config';
import { AvailabilityEventsConsumer } from './inventory/availability-events.consumer';
import { DeviceEventsConsumer } from './inventory/device-events.consumer';
import { DOWNLINK_CONSUMERS } from './inventory/downlink-consumers';
import { SpaceEventsConsumer } from './inventory/space-events.consumer';
import { CommandQueue, QUEUE_OPTIONS } from './queue/command-queue';
import { SignPlanner } from './queue/sign-planner';

/** The downlink service: signage: what each display shows, and the downlink queue that gets it there. */
@Module({})
export class DownlinkModule {
  static forRoot(config: DownlinkConfig): DynamicModule {
    return {
      module: DownlinkModule,
      imports: dataServiceImports(config, {
        database: () => createDownlinkDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        sqlTemplate: (strings, ...values) => Prisma.sql(strings, ...values),
        consumers: [...DOWNLINK_CONSUMERS],
      }),
      providers: [
        { provide: QUEUE_OPTIONS, useValue: config.signage },
        CommandQueue,
        SignPlanner,
        DeviceEventsConsumer,
        SpaceEventsConsumer,
        AvailabilityEventsConsumer,
      ],
    };
  }
}
