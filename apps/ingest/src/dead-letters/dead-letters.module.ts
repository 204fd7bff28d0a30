import { Controller, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { AdminListDeadLettersResponse, AdminReplayDeadLetterResponse, INGEST_ADMIN_PAGE_MAX, INGEST_ADMIN_RPC, Namespace } from '@parking/contracts';
import type { IngestDatabase } from '@parking/ingest/data-access';
import { JETSTREAM, NATS_CONNECTION, RpcHandler } from '@parking/messaging-nest';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { principalOf } from '@parking/service-runtime';
import { RpcInput } from '../devices/rpc-input';
import { RawWebhookRepublisher } from '../orphans/raw-webhook-republisher';
import { DeadLetterAdmin } from './dead-letter-admin';

@Controller()
export class DeadLettersRpc {
  constructor(private readonly deadLetters: DeadLetterAdmin) {}

  @RpcHandler(INGEST_ADMIN_RPC.listDeadLetters)
  list(@Payload() payload: unknown): Promise<AdminListDeadLettersResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const reason = input.reason();
    const page = { cursor: input.optionalString('cursor', 32), limit: input.optionalInt('limit', 1, INGEST_ADMIN_PAGE_MAX) ?? 50 };
    input.onlyKnown(['reason', 'cursor', 'limit']);
    input.done();
    return this.deadLetters.list(principal, reason, page);
  }

  @RpcHandler(INGEST_ADMIN_RPC.replayDeadLetter)
  replay(@Payload() payload: unknown): Promise<AdminReplayDeadLetterResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const reason = input.reason();
    const seq = input.optionalInt('seq', 1, Number.MAX_SAFE_INTEGER);
    if (seq === undefined && !input.errors.some((e) => e.field === 'seq')) input.fail('seq', 'is required: the dead letter sequence from the list');
    input.onlyKnown(['reason', 'seq']);
    input.done();
    return this.deadLetters.replay(principal, reason, seq as number);
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
