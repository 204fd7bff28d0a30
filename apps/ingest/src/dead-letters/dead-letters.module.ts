import { Controller, Module } from '@nestjs/common';
import { jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  AdminListDeadLettersRequest,
  AdminReplayDeadLetterRequest,
  AdminReplayDeadLetterResponse,
  DeadLetterPage,
  INGEST_ADMIN_RPC,
  Namespace,
  PAGE_SIZE_DEFAULT,
  type ReceivedRpcContext,
} from '@parking/contracts';
import type { IngestDatabase } from '@parking/ingest/data-access';
import { JETSTREAM, NATS_CONNECTION, RpcHandler } from '@parking/messaging-nest';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { principalOf } from '@parking/service-runtime';
import { RawWebhookRepublisher } from '../orphans/raw-webhook-republisher';
import { DeadLetterAdmin } from './dead-letter-admin';

@Controller()
export class DeadLettersRpc {
  constructor(private readonly deadLetters: DeadLetterAdmin) {}

  @RpcHandler(INGEST_ADMIN_RPC.listDeadLetters)
  list(request: AdminListDeadLettersRequest, context: ReceivedRpcContext): Promise<DeadLetterPage> {
    return this.deadLetters.list(principalOf(context), request.reason, { cursor: request.cursor, limit: request.limit ?? PAGE_SIZE_DEFAULT });
  }

  @RpcHandler(INGEST_ADMIN_RPC.replayDeadLetter)
  replay(request: AdminReplayDeadLetterRequest, context: ReceivedRpcContext): Promise<AdminReplayDeadLetterResponse> {
    return this.deadLetters.replay(principalOf(context), request.reason, request.seq);
  }
}

/** The ingest dead letters for platform admins: list and replay once. */
@Module({
  controllers: [DeadLettersRpc],
  providers: [
    { provide: RawWebhookRepublisher, useFactory: (js: JetStreamClient, ns: Namespace) => new RawWebhookRepublisher(js, ns), inject: [JETSTREAM, Namespace] },
    {
      provide: DeadLetterAdmin,
      useFactory: (db: IngestDatabase, nc: NatsConnection, ns: Namespace, republisher: RawWebhookRepublisher) => {
        let jsm: ReturnType<typeof jetstreamManager> | undefined;
        return new DeadLetterAdmin(db, () => (jsm ??= jetstreamManager(nc)), ns, republisher);
      },
      inject: [TENANT_DATABASE, NATS_CONNECTION, Namespace, RawWebhookRepublisher],
    },
  ],
})
export class DeadLettersModule {}
