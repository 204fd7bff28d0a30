import { Controller, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { JetStreamClient } from '@nats-io/jetstream';
import { AdminAssignOrphanResponse, AdminListOrphansResponse, INGEST_ADMIN_PAGE_MAX, INGEST_ADMIN_RPC, Namespace } from '@parking/contracts';
import { isCodecId } from '@parking/ingest/codecs';
import type { IngestDatabase } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { JETSTREAM, RpcHandler } from '@parking/messaging-nest';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { principalOf } from '@parking/service-runtime';
import { RpcInput } from '../devices/rpc-input';
import { OrphanAdmin } from './orphan-admin';
import { RawWebhookRepublisher } from './raw-webhook-republisher';

@Controller()
export class OrphansRpc {
  constructor(private readonly orphans: OrphanAdmin) {}

  @RpcHandler(INGEST_ADMIN_RPC.listOrphans)
  list(@Payload() payload: unknown): Promise<AdminListOrphansResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const reason = input.reason();
    const page = { cursor: input.optionalString('cursor', 512), limit: input.optionalInt('limit', 1, INGEST_ADMIN_PAGE_MAX) ?? 50 };
    input.onlyKnown(['reason', 'cursor', 'limit']);
    input.done();
    return this.orphans.list(principal, reason, page);
  }

  @RpcHandler(INGEST_ADMIN_RPC.assignOrphan)
  assign(@Payload() payload: unknown): Promise<AdminAssignOrphanResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const reason = input.reason();
    const devEui = input.devEui();
    const tenantId = input.optionalUuid('tenantId');
    if (tenantId === undefined && !input.errors.some((e) => e.field === 'tenantId')) input.fail('tenantId', 'is required: the tenant that gets the device');
    const codec = input.optionalString('codec', 64);
    if (codec === undefined || !isCodecId(codec)) input.fail('codec', 'must name a codec of the registry, e.g. nwave-nps405');
    const name = input.optionalString('name', 200);
    if (name === undefined || name.trim().length === 0) input.fail('name', 'is required: 1 to 200 characters');
    const kind = input.kind() ?? 'sensor';
    input.onlyKnown(['reason', 'devEui', 'tenantId', 'codec', 'name', 'kind']);
    input.done();
    return this.orphans.assign(principal, reason, { devEui, tenantId: tenantId as string, codec: codec as string, name: (name as string).trim(), kind });
  }
}

/** Orphan devices: recorded by the pipeline, listed and assigned by platform admins. */
@Module({
  controllers: [OrphansRpc],
  providers: [
    { provide: RawWebhookRepublisher, useFactory: (js: JetStreamClient, ns: Namespace) => new RawWebhookRepublisher(js, ns), inject: [JETSTREAM, Namespace] },
    {
      provide: OrphanAdmin,
      useFactory: (db: IngestDatabase, outbox: OutboxWriter, republisher: RawWebhookRepublisher) => new OrphanAdmin(db, outbox, republisher),
      inject: [TENANT_DATABASE, OutboxWriter, RawWebhookRepublisher],
    },
  ],
  exports: [RawWebhookRepublisher],
})
export class OrphansModule {}
