import { Module } from '@nestjs/common';
import { IngestAdminClient } from './ingest-admin-client';
import { IngestAdminController } from './ingest-admin.controller';

/** The REST face of the uplink pipeline's administration: validates and forwards over NATS. */
@Module({ controllers: [IngestAdminController], providers: [IngestAdminClient] })
export class IngestAdminRoutesModule {}
