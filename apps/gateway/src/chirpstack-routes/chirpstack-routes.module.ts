import { Module } from '@nestjs/common';
import { ConnectionsController } from './connections.controller';

/** The REST face of the chirpstack-sync service: thin controllers that validate and forward over NATS. */
@Module({ controllers: [ConnectionsController] })
export class ChirpstackRoutesModule {}
