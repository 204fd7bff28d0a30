import { CONFIG } from '@parking/config';
import { Controller, Module } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  AdminAssignOrphanRequest,
  AdminAssignOrphanResponse,
  AdminListOrphansRequest,
  INGEST_ADMIN_RPC,
  Namespace,
  OrphanPage,
  PAGE_SIZE_DEFAULT,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { isCodecId } from '@parking/ingest/codecs';
import type { IngestDatabase } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { JETSTREAM, RpcHandler } from '@parking/messaging-nest';
import { TENANT_DATABASE, defaultTenantPlanOf, principalOf, type DataServiceConfig } from '@parking/service-runtime';
import { ValidationFailedError } from '@parking/problem-details';
import { ChirpstackOrphansConsumer } from './chirpstack-orphans.consumer';
import { OrphanAdmin } from './orphan-admin';
import { RawWebhookRepublisher } from './raw-webhook-republisher';

@Controller()
export class OrphansRpc {
  constructor(private readonly orphans: OrphanAdmin) {}

  @RpcHandler(INGEST_ADMIN_RPC.listOrphans)
  list(request: AdminListOrphansRequest, context: ReceivedRpcContext): Promise<OrphanPage> {
    return this.orphans.list(principalOf(context), request.reason, { cursor: request.cursor, limit: request.limit ?? PAGE_SIZE_DEFAULT });
  }

  @RpcHandler(INGEST_ADMIN_RPC.assignOrphan)
  assign(request: AdminAssignOrphanRequest, context: ReceivedRpcContext): Promise<AdminAssignOrphanResponse> {
    const principal = principalOf(context);
    if (!isCodecId(request.codec)) throw new ValidationFailedError([{ field: 'codec', message: 'must name a codec of the registry, e.g. nwave-nps405' }]);
    const { devEui, tenantId, codec, name, kind = 'sensor', transfer = false } = request;
    return this.orphans.assign(principal, request.reason, { devEui, tenantId, codec, name, kind, transfer });
  }
}

/** Orphan devices: recorded by the pipeline, listed and assigned by platform admins; those ChirpStack reconciliations find, per tenant. */
@Module({
  controllers: [OrphansRpc],
  providers: [
    ChirpstackOrphansConsumer,
    { provide: RawWebhookRepublisher, useFactory: (js: JetStreamClient, ns: Namespace) => new RawWebhookRepublisher(js, ns), inject: [JETSTREAM, Namespace] },
    {
      provide: OrphanAdmin,
      useFactory: (db: IngestDatabase, outbox: OutboxWriter, republisher: RawWebhookRepublisher, config: DataServiceConfig) =>
        new OrphanAdmin(db, outbox, republisher, defaultTenantPlanOf(config)),
      inject: [TENANT_DATABASE, OutboxWriter, RawWebhookRepublisher, CONFIG],
    },
  ],
  exports: [RawWebhookRepublisher],
})
export class OrphansModule {}
