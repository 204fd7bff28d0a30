import { DynamicModule, Module, Provider } from '@nestjs/common';
import { jetstream, JetStreamClient } from '@nats-io/jetstream';
import { sourceFor } from '@parking/contracts';
import { serviceSchema, TenantDatabase } from '@parking/database';
import { Namespace } from '@parking/contracts';
import { connectNats, EventPublisher, OutboxRelay, OutboxSignal, OutboxWriter } from '@parking/messaging';
import { MessagingLifecycle } from './messaging-lifecycle';
import type { MessagingModuleOptions } from './messaging.options';
import { JETSTREAM, MESSAGING_DATABASE, MESSAGING_OPTIONS, NATS_CONNECTION, RELAY_DATABASE } from './messaging.tokens';
import { NatsReadiness } from './nats-readiness';
import { nestMessagingLogger } from './nest-messaging-logger';

/**
 * NATS connection, EventPublisher and NatsReadiness for every service; OutboxWriter,
 * OutboxRelay and the declared consumers for services with a database.
 */
@Module({})
export class MessagingModule {
  static forRoot(input: MessagingModuleOptions): DynamicModule {
    const options: MessagingModuleOptions = {
      ...input,
      schema: input.schema ?? (input.database ? serviceSchema(input.service).schema : undefined),
      logger: input.logger ?? nestMessagingLogger(),
    };
    const providers: Provider[] = [
      { provide: MESSAGING_OPTIONS, useValue: options },
      { provide: Namespace, useValue: new Namespace(options.namespace ?? '') },
      { provide: NATS_CONNECTION, useFactory: () => connectNats({ url: options.natsUrl, name: options.service, auth: options.natsAuth }) },
      { provide: JETSTREAM, useFactory: jetstream, inject: [NATS_CONNECTION] },
      { provide: EventPublisher, useFactory: (js: JetStreamClient, ns: Namespace) => new EventPublisher(js, ns), inject: [JETSTREAM, Namespace] },
      NatsReadiness,
      MessagingLifecycle,
    ];
    const exported: DynamicModule['exports'] = [NATS_CONNECTION, JETSTREAM, Namespace, EventPublisher, NatsReadiness];
    if (options.database) {
      providers.push(...outboxProviders(options));
      exported.push(MESSAGING_DATABASE, OutboxWriter, OutboxRelay);
    }
    return { module: MessagingModule, global: true, providers, exports: exported };
  }
}

function outboxProviders(options: MessagingModuleOptions): Provider[] {
  const { database, outbox = {} } = options;
  const schema = options.schema as string;
  return [
    database instanceof TenantDatabase
      ? { provide: MESSAGING_DATABASE, useValue: database }
      : { provide: MESSAGING_DATABASE, useExisting: database as NonNullable<typeof database> },
    // One signal per module: the writer wakes this service's relay, nobody else's.
    { provide: OutboxSignal, useValue: new OutboxSignal() },
    {
      provide: OutboxWriter,
      useFactory: (signal: OutboxSignal) => new OutboxWriter({ schema, source: sourceFor(options.service), wake: outbox.wake, signal }),
      inject: [OutboxSignal],
    },
    { provide: RELAY_DATABASE, useFactory: () => outbox.database?.() ?? null },
    {
      provide: OutboxRelay,
      useFactory: (shared: TenantDatabase, own: TenantDatabase | null, publisher: EventPublisher, signal: OutboxSignal) => {
        const { database: _factory, ...relayOptions } = outbox;
        return new OutboxRelay({ db: own ?? shared, schema, publisher, signal, logger: options.logger, ...relayOptions });
      },
      inject: [MESSAGING_DATABASE, RELAY_DATABASE, EventPublisher, OutboxSignal],
    },
  ];
}
