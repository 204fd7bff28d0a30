import { BeforeApplicationShutdown, Inject, Injectable, Module, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { OutboxWriter } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, nestMessagingLogger } from '@parking/messaging-nest';
import { RAW_TENANT_DATABASE, type RawTenantDatabase, ReadinessRegistry } from '@parking/service-runtime';
import { PipelineConsumer } from './pipeline-consumer';

/** Runs the uplink pipeline's consumer for the life of the service; ready once it pulls. */
@Injectable()
export class PipelineLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: PipelineConsumer;

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    namespace: Namespace,
    // The hot path: raw SQL over node-postgres rather than Prisma.
    @Inject(RAW_TENANT_DATABASE) db: RawTenantDatabase,
    outbox: OutboxWriter,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.consumer = new PipelineConsumer({ nc, js, namespace, db, outbox, logger: nestMessagingLogger('UplinkPipeline') });
  }

  onModuleInit(): void {
    this.readiness.register('uplink-pipeline', async () => {
      if (!this.consumer.running) throw new Error('the uplink pipeline is not pulling');
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}

/** Raw ChirpStack webhooks (WEBHOOKS stream) to deduplicated, decoded uplinks and device events. */
@Module({ providers: [PipelineLifecycle] })
export class PipelineModule {}
