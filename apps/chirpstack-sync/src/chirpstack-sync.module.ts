import { DynamicModule, Module } from '@nestjs/common';
import { createChirpstackSyncDatabase, Prisma } from '@parking/chirpstack-sync/data-access';
import { SecretBox } from '@parking/secret-box';
import { dataServiceImports, retentionDays } from '@parking/service-runtime';
import { ChirpStackClients } from './chirpstack/chirpstack-clients';
import { CHIRPSTACK_SYNC_CONFIG, ChirpstackSyncConfig } from './config/chirpstack-sync-config';
import { ConnectionTestUseCase } from './connections/connection-test.use-case';
import { CHIRPSTACK_SECRET_BOX, ConnectionTokens, DeviceKeysVault } from './secrets/sealed-secrets';
import { ConnectionsRpc } from './connections/connections.rpc';
import { ConnectionsUseCase } from './connections/connections.use-case';
import { DeviceEventsConsumer } from './devices/device-events.consumer';
import { DEVICE_SYNC_OPTIONS, DeviceSync } from './devices/device-sync';
import { DeviceSyncRpc } from './devices/device-sync.rpc';
import { DeviceSyncUseCase } from './devices/device-sync.use-case';
import { DeviceSyncWorker } from './devices/device-sync.worker';
import { DeviceSyncWakeup } from './devices/device-sync-wakeup';
import { DownlinksRpc } from './downlinks/downlinks.rpc';
import { GATEWAY_HEALTH_OPTIONS, GatewayHealth } from './gateways/gateway-health';
import { GatewayProvisioning } from './gateways/gateway-provisioning';
import { GatewayStats } from './gateways/gateway-stats';
import { GatewayUplinksConsumer } from './gateways/gateway-uplinks.consumer';
import { GatewaysRpc } from './gateways/gateways.rpc';
import { GatewaysUseCase } from './gateways/gateways.use-case';
import { SITE_EVENTS_CONSUMER, SiteEventsConsumer } from './gateways/site-events.consumer';
import { GatewayReconciler } from './reconciliation/gateway-reconciler';
import { RECONCILIATION_OPTIONS, Reconciler } from './reconciliation/reconciler';
import { ReconciliationJobs } from './reconciliation/reconciliation-jobs';
import { ReconciliationRpc } from './reconciliation/reconciliation.rpc';
import { ReconciliationUseCase } from './reconciliation/reconciliation.use-case';
import { DownlinksUseCase } from './downlinks/downlinks.use-case';

/** The chirpstack-sync service: keeps ChirpStack's device registry in step with ours. */
@Module({})
export class ChirpstackSyncModule {
  static forRoot(config: ChirpstackSyncConfig): DynamicModule {
    return {
      module: ChirpstackSyncModule,
      imports: dataServiceImports(config, {
        database: () => createChirpstackSyncDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        sqlTemplate: (strings, ...values) => Prisma.sql(strings, ...values),
        // Device events and gateway uplinks go a batch at a time (DeviceEventsConsumer, GatewayUplinksConsumer), each with its own runner.
        consumers: [SITE_EVENTS_CONSUMER],
        retention: [
          { target: 'reconciliation_runs', keepMs: retentionDays(config.retention.reconciliationDays) },
          { target: 'downlink_commands', keepMs: retentionDays(config.retention.downlinkRecordDays) },
        ],
      }),
      controllers: [ConnectionsRpc, DeviceSyncRpc, DownlinksRpc, GatewaysRpc, ReconciliationRpc],
      providers: [
        { provide: CHIRPSTACK_SYNC_CONFIG, useValue: config },
        { provide: CHIRPSTACK_SECRET_BOX, useFactory: () => new SecretBox(config.secretsKey.key, config.secretsKey.previousKeys) },
        { provide: DEVICE_SYNC_OPTIONS, useValue: config.deviceSync },
        { provide: RECONCILIATION_OPTIONS, useValue: config.reconciliation },
        { provide: GATEWAY_HEALTH_OPTIONS, useValue: config.gatewayHealth },
        GatewayHealth,
        GatewayProvisioning,
        GatewayStats,
        GatewayUplinksConsumer,
        GatewaysUseCase,
        SiteEventsConsumer,
        Reconciler,
        GatewayReconciler,
        ReconciliationJobs,
        ReconciliationUseCase,
        ConnectionTokens,
        DeviceKeysVault,
        DeviceSync,
        DeviceSyncWorker,
        DeviceSyncWakeup,
        DeviceEventsConsumer,
        DeviceSyncUseCase,
        ChirpStackClients,
        ConnectionsUseCase,
        ConnectionTestUseCase,
        DownlinksUseCase,
      ],
    };
  }
}
