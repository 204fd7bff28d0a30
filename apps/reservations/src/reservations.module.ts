import { DynamicModule, Module } from '@nestjs/common';
import { createReservationsDatabase, Prisma } from '@parking/reservations/data-access';
import { RpcClientModule } from '@parking/messaging-nest';
import { dataServiceImports } from '@parking/service-runtime';
import { BookingUseCase } from './bookings/booking.use-case';
import { ReservationCommands } from './bookings/reservation-commands.use-case';
import { ReservationQueries } from './bookings/reservation-queries.use-case';
import type { ReservationsConfig } from './config';
import { IDEMPOTENCY_OPTIONS, IdempotencyKeys, type IdempotencyOptions } from './idempotency/idempotency-keys';
import { RESERVATIONS_CONSUMERS, SiteEventsConsumer, TenantLimitsConsumer, ZoneEventsConsumer } from './inventory/inventory.consumers';
import { SpaceEventsConsumer } from './inventory/space-events.consumer';
import { InventorySnapshotLoader } from './inventory/inventory-snapshot';
import { LIFECYCLE_OPTIONS, LifecycleJobs } from './lifecycle/lifecycle-jobs';
import { ReservationTransitions } from './lifecycle/reservation-transitions';
import { SensorArrivals } from './lifecycle/sensor-arrivals';
import { SensorBacklog } from './lifecycle/sensor-backlog';
import { QUOTE_OPTIONS, QuotesUseCase } from './pricing/quotes.use-case';
import { TariffsUseCase } from './pricing/tariffs.use-case';
import { ReservationsRpc } from './reservations.rpc';
import { RevenueUseCase } from './revenue/revenue.use-case';

export interface ReservationsModuleOptions {
  /** Tests drive the lifecycle jobs themselves. */
  lifecycleAutoStart?: boolean;
}

/** The reservations service: bookings that never overlap, quotes, tariffs, the booking lifecycle and revenue. */
@Module({})
export class ReservationsModule {
  static forRoot(config: ReservationsConfig, options: ReservationsModuleOptions = {}): DynamicModule {
    return {
      module: ReservationsModule,
      imports: [
        ...dataServiceImports(config, {
          database: () => createReservationsDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
          consumers: RESERVATIONS_CONSUMERS,
          // The booking path runs on the raw database and builds its statements as Prisma does.
          sqlTemplate: (strings, ...values) => Prisma.sql(strings, ...values),
        }),
        // The inventory snapshot from occupancy, under the service's own proof.
        RpcClientModule.forRoot({
          natsUrl: config.nats.url,
          name: 'reservations',
          namespace: config.nats.namespace,
          natsAuth: config.nats.auth,
          ...(config.rpcProof.signingKey ? { proof: { issuer: 'reservations', signingKey: config.rpcProof.signingKey } } : {}),
        }),
      ],
      controllers: [ReservationsRpc],
      providers: [
        { provide: IDEMPOTENCY_OPTIONS, useValue: { ttlMs: config.idempotencyKeyTtlMs } satisfies IdempotencyOptions },
        IdempotencyKeys,
        { provide: QUOTE_OPTIONS, useValue: { ttlMs: config.quoteTtlMs } },
        { provide: LIFECYCLE_OPTIONS, useValue: { intervalMs: config.lifecycleIntervalMs, autoStart: options.lifecycleAutoStart ?? true } },
        ReservationTransitions,
        SensorArrivals,
        BookingUseCase,
        ReservationCommands,
        ReservationQueries,
        QuotesUseCase,
        TariffsUseCase,
        RevenueUseCase,
        SensorBacklog,
        LifecycleJobs,
        InventorySnapshotLoader,
        SiteEventsConsumer,
        ZoneEventsConsumer,
        SpaceEventsConsumer,
        TenantLimitsConsumer,
      ],
    };
  }
}
