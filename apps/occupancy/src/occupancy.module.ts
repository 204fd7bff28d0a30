import { DynamicModule, Module } from '@nestjs/common';
import { createOccupancyDatabase, Prisma } from '@parking/occupancy/data-access';
import { dataServiceImports, retentionDays } from '@parking/service-runtime';
import type { OccupancyConfig } from './config';
import { DeviceEventsConsumer } from './consumers/device-events.consumer';
import { ReservationEventsConsumer } from './consumers/reservation-events.consumer';
import { TENANT_LIMITS_CONSUMER, TenantLimitsConsumer } from './consumers/tenant-limits.consumer';
import { UplinkBatchConsumer } from './consumers/uplink-batch.consumer';
import { HistoryRpc } from './history/history.rpc';
import { SpaceHistory } from './history/space-history';
import { ImportRpc } from './import/import.rpc';
import { InventoryImportUseCase } from './import/inventory-import.use-case';
import { InteropRpc } from './interop/interop.rpc';
import { InventoryEvents } from './inventory/inventory-events';
import { InventorySnapshot } from './inventory/inventory-snapshot';
import { InventoryRpc } from './inventory/inventory.rpc';
import { SitesRpc } from './sites/sites.rpc';
import { SitesUseCases } from './sites/sites.use-cases';
import { SensorAssignments } from './spaces/sensor-assignments';
import { SpacesRpc } from './spaces/spaces.rpc';
import { SpacesUseCases } from './spaces/spaces.use-cases';
import { AvailabilityCounter } from './state/availability-counts';
import { SpaceStateStore } from './state/space-state-store';
import { OccupancyStats } from './stats/occupancy-stats';
import { StatsRecorder } from './stats/stats-recorder';
import { StatsRpc } from './stats/stats.rpc';
import { SILENCE_TIMER_OPTIONS, SilenceTimer, SilenceTimerOptions } from './timer/silence-timer';
import { ZonesRpc } from './zones/zones.rpc';
import { ZonesUseCases } from './zones/zones.use-cases';

export interface OccupancyModuleOptions {
  silenceTimer?: SilenceTimerOptions;
}

/** The occupancy service: sites, zones, spaces, their sensors and live state, availability counts. */
@Module({})
export class OccupancyModule {
  static forRoot(config: OccupancyConfig, options: OccupancyModuleOptions = {}): DynamicModule {
    return {
      module: OccupancyModule,
      imports: dataServiceImports(config, {
        database: () => createOccupancyDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        // Uplinks, device events and reservations' starts and ends are consumed in batches
        // (UplinkBatchConsumer, DeviceEventsConsumer, ReservationEventsConsumer), each with its own runner.
        consumers: [TENANT_LIMITS_CONSUMER],
        // The site snapshot names the OCCUPANCY sequence it reflects, for subscribers to resume from.
        outbox: { recordStreamPositions: true },
        // The uplink consumer's raw path builds its statements as Prisma does.
        sqlTemplate: (strings, ...values) => Prisma.sql(strings, ...values),
        // Raw transitions (the statistics rollups stay).
        retention: [{ target: 'space_transitions', keepMs: retentionDays(config.retention.transitionDays) }],
      }),
      controllers: [SitesRpc, ZonesRpc, SpacesRpc, HistoryRpc, InteropRpc, ImportRpc, StatsRpc, InventoryRpc],
      providers: [
        AvailabilityCounter,
        InventoryEvents,
        InventorySnapshot,
        SpaceStateStore,
        StatsRecorder,
        OccupancyStats,
        SensorAssignments,
        SitesUseCases,
        ZonesUseCases,
        SpacesUseCases,
        SpaceHistory,
        InventoryImportUseCase,
        UplinkBatchConsumer,
        DeviceEventsConsumer,
        ReservationEventsConsumer,
        TenantLimitsConsumer,
        SilenceTimer,
        ...(options.silenceTimer ? [{ provide: SILENCE_TIMER_OPTIONS, useValue: options.silenceTimer }] : []),
      ],
    };
  }
}
