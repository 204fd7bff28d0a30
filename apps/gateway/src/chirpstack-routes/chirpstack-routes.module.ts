import { Module } from '@nestjs/common';
import { ConnectionsController } from './connections.controller';
import { DeviceSyncController } from './device-sync.controller';
import { GatewaysController, GatewaysV6Controller } from './gateways.controller';
import { ReconciliationController } from './reconciliation.controller';

/** The REST face of the chirpstack-sync service: thin controllers that validate and forward over NATS. */
@Module({ controllers: [ConnectionsController, DeviceSyncController, GatewaysController, GatewaysV6Controller, ReconciliationController] })
export class ChirpstackRoutesModule {}
