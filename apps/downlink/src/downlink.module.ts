import { DynamicModule, Module } from '@nestjs/common';
import { createDownlinkDatabase, Prisma } from '@parking/downlink/data-access';
import { RpcClientModule } from '@parking/messaging-nest';
import { DEFAULT_RETRY_POLICY } from '@parking/downlink/signage';
import { dataServiceImports, retentionDays } from '@parking/service-runtime';
import type { DownlinkConfig } from './config';
import { DownlinkRpc } from './downlink.rpc';
import { DisplaysUseCase } from './displays/displays.use-case';
import { OverridesUseCase } from './displays/overrides.use-case';
import { PoliciesUseCase } from './displays/policies.use-case';
import { SignageSettingsUseCase } from './displays/signage-settings.use-case';
import { SignageStatsUseCase } from './displays/signage-stats.use-case';
import { PlaceEventsConsumer } from './inventory/place-events.consumer';
import { AvailabilityEventsConsumer } from './inventory/availability-events.consumer';
import { DeviceEventsConsumer } from './inventory/device-events.consumer';
import { DOWNLINK_CONSUMERS } from './inventory/downlink-consumers';
import { SpaceEventsConsumer } from './inventory/space-events.consumer';
import { CommandQueue, QUEUE_OPTIONS, SendWakeup } from './queue/command-queue';
import { CommandSender, SENDER_OPTIONS, type SenderOptions } from './queue/command-sender';
import { ConfirmationsConsumer } from './queue/confirmations.consumer';
import { DisplayReportsConsumer } from './queue/display-reports.consumer';
import { DOWNLINK_DOOR, RpcDownlinkDoor } from './queue/downlink-door';
import { OverrideExpiry } from './queue/override-expiry';
import { PeriodicRefresh, REFRESH_OPTIONS } from './queue/periodic-refresh';
import { SignPlanner } from './queue/sign-planner';

/** The downlink service: signage: what each display shows, and the downlink queue that gets it there. */
@Module({})
export class DownlinkModule {
  static forRoot(config: DownlinkConfig): DynamicModule {
    return {
      module: DownlinkModule,
      imports: [
        ...dataServiceImports(config, {
          database: () => createDownlinkDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
          sqlTemplate: (strings, ...values) => Prisma.sql(strings, ...values),
          consumers: [...DOWNLINK_CONSUMERS],
          retention: [{ target: 'commands', keepMs: retentionDays(config.retention.commandDays) }],
        }),
        // Frames go to ChirpStack through chirpstack-sync, under this service's own proof.
        RpcClientModule.forRoot({
          natsUrl: config.nats.url,
          name: 'downlink',
          namespace: config.nats.namespace,
          natsAuth: config.nats.auth,
          ...(config.rpcProof.signingKey ? { proof: { issuer: 'downlink', signingKey: config.rpcProof.signingKey } } : {}),
        }),
      ],
      controllers: [DownlinkRpc],
      providers: [
        { provide: QUEUE_OPTIONS, useValue: config.signage },
        { provide: REFRESH_OPTIONS, useValue: { intervalMs: config.signage.refreshIntervalMs } },
        {
          provide: SENDER_OPTIONS,
          useValue: {
            retry: { ...DEFAULT_RETRY_POLICY, maxSends: config.signage.maxSends },
            headroom: config.signage.headroom,
            tenantAirtimeMsPerHour: config.signage.tenantAirtimeMsPerHour,
            frameTtlMs: 60_000,
            // Only the safety net: the sender sleeps until the next command is due and is woken by enqueues.
            pollMs: 30_000,
            batch: 50,
            autoStart: true,
          } satisfies SenderOptions,
        },
        { provide: DOWNLINK_DOOR, useClass: RpcDownlinkDoor },
        SendWakeup,
        CommandQueue,
        SignPlanner,
        CommandSender,
        OverrideExpiry,
        PeriodicRefresh,
        DisplaysUseCase,
        OverridesUseCase,
        PoliciesUseCase,
        SignageStatsUseCase,
        SignageSettingsUseCase,
        PlaceEventsConsumer,
        ConfirmationsConsumer,
        DisplayReportsConsumer,
        DeviceEventsConsumer,
        SpaceEventsConsumer,
        AvailabilityEventsConsumer,
      ],
    };
  }
}
