import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
  Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { jetstreamManager, JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { deadLetterSubject, STREAMS } from '@parking/contracts';
import type { TenantDatabase } from '@parking/database';
import { Namespace } from '@parking/contracts';
import { ConsumerRunner, ensureStreams, EventHandler, OutboxRelay, provisionConsumer, provisionStreams, retryLoggerOf, retryTransient } from '@parking/messaging';
import type { ConsumerDefinition, EventConsumer, MessagingModuleOptions } from './messaging.options';
import { JETSTREAM, MESSAGING_DATABASE, MESSAGING_OPTIONS, NATS_CONNECTION, RELAY_DATABASE } from './messaging.tokens';
import { nestMessagingLogger } from './nest-messaging-logger';

function isConsumerClass(handler: ConsumerDefinition['handler']): handler is Type<EventConsumer> {
  return typeof handler === 'function' && typeof (handler.prototype as Partial<EventConsumer> | undefined)?.handle === 'function';
}

/**
 * Boot: provision streams and consumers (so a misdeclared consumer fails the boot), then
 * start the relay and the runners. Shutdown: runners stop first and let in-flight
 * handlers commit, then the relay finishes its batch; NATS drains last.
 */
@Injectable()
export class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly runners: ConsumerRunner[] = [];
  private readonly logger;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    private readonly ns: Namespace,
    private readonly moduleRef: ModuleRef,
    @Optional() private readonly relay?: OutboxRelay,
    @Optional() @Inject(MESSAGING_DATABASE) private readonly db?: TenantDatabase,
    @Optional() @Inject(RELAY_DATABASE) private readonly relayDb?: TenantDatabase | null,
  ) {
    this.logger = options.logger ?? nestMessagingLogger();
  }

  async onModuleInit(): Promise<void> {
    const consumers = this.options.consumers ?? [];
    if (consumers.length > 0 && !this.db) throw new Error(`${this.options.service}: consumers need a database (inbox)`);
    const streamOptions = { duplicateWindowMs: this.options.duplicateWindowMs, replicas: this.options.streamReplicas, limits: this.options.streamLimits };
    const ensured = [...(this.options.ensuredStreams ?? [])];
    const declared = [...this.options.streams, ...ensured];
    if (consumers.length > 0 && !declared.some((s) => s.name === STREAMS.DEADLETTER.name)) ensured.push(STREAMS.DEADLETTER);
    // Each step is idempotent, so a start on a cluster still electing its leaders does them all again.
    await retryTransient(
      async () => {
        const jsm = await jetstreamManager(this.nc);
        await provisionStreams(jsm, this.options.streams, this.ns, streamOptions);
        await ensureStreams(jsm, ensured, this.ns, streamOptions);
        for (const def of consumers) {
          await provisionConsumer(jsm, {
            stream: this.ns.stream(def.stream),
            durable: this.durableOf(def),
            filterSubject: this.ns.subject(def.filterSubject),
            ackWaitMs: def.ackWaitMs,
            maxAckPending: def.maxAckPending,
          });
        }
      },
      { what: `${this.options.service}: provisioning streams and consumers`, logger: retryLoggerOf(this.logger) },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay?.start();
    for (const def of this.options.consumers ?? []) {
      const durable = this.durableOf(def);
      const runner = new ConsumerRunner({
        js: this.js,
        stream: this.ns.stream(def.stream),
        durable,
        handler: this.resolveHandler(def),
        db: this.db as TenantDatabase,
        inboxSchema: this.options.schema as string,
        deadLetterSubject: this.ns.subject(deadLetterSubject(this.options.service, durable)),
        concurrency: def.concurrency,
        maxDeliveries: def.maxDeliveries,
        backoff: def.backoff,
        logger: this.logger,
      });
      await runner.start();
      this.runners.push(runner);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.splice(0).map((runner) => runner.stop()));
    await this.relay?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relayDb?.close().catch(() => undefined);
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => undefined);
  }

  private durableOf(def: ConsumerDefinition): string {
    return `${this.options.service}-${def.purpose}`;
  }

  private resolveHandler(def: ConsumerDefinition): EventHandler {
    if (!isConsumerClass(def.handler)) return def.handler as EventHandler;
    const instance = this.moduleRef.get(def.handler, { strict: false });
    return (envelope, tx, ctx) => instance.handle(envelope, tx, ctx);
  }
}
