import { Module } from '@nestjs/common';
import { IngestAdminController } from './ingest-admin.controller';

/** The REST face of the uplink pipeline's administration: validates and forwards over NATS. */
@Module({ controllers: [IngestAdminController] })
export class IngestAdminRoutesModule {}
