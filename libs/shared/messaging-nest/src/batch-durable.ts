import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { deadLetterSubject, Namespace, STREAMS, type StreamSpec } from '@parking/contracts';
import type { SqlClient, TenantDatabase } from '@parking/database';
import {
  BatchConsumerRunner,
  claimInboxEntries,
  ensureStreams,
  errorMessage,
  handleByTenant,
  provisionConsumer,
  retryLoggerOf,
  retryTransient,
  type BatchMessage,
  type BatchOutcome,
  type TenantBatchItem,
} from '@parking/messaging';
import { nestMessagingLogger } from './nest-messaging-logger';

export interface BatchDurableOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  ns: Namespace;
  /** The consuming service: its dead letters go to `deadletter.<service>.<durable>`. */
  service: string;
  /** Another service's stream, created when missing and never changed (see NATS_ACCESS). */
  stream: StreamSpec;
  durable: string;
  filterSubject: string;
  description: string;
  batchSize: number;
  /** How long a batch waits for more messages before it is handled (BatchConsumerRunnerOptions.lingerMs). */
  lingerMs?: number;
  handler: (batch: readonly BatchMessage[]) => Promise<BatchOutcome[]>;
}

/**
 * Provisions a durable consumer and starts a BatchConsumerRunner on it, for the busy streams a
 * service takes a batch at a time (one transaction per tenant); the caller stops the runner at
 * shutdown. What one replica holds unacknowledged is a few batches.
 */
export async function startBatchDurable(options: BatchDurableOptions): Promise<BatchConsumerRunner> {
  const { ns, durable } = options;
  const logger = nestMessagingLogger();
  await retryTransient(
    async () => {
      const jsm = await jetstreamManager(options.nc);
      await ensureStreams(jsm, [options.stream, STREAMS.DEADLETTER], ns);
      await provisionConsumer(jsm, {
        stream: ns.stream(options.stream.name),
        durable,
        filterSubject: ns.subject(options.filterSubject),
        ackWaitMs: 30_000,
        maxAckPending: options.batchSize * 4,
        description: options.description,
      });
    },
    { what: `${durable}: provisioning its consumer`, logger: retryLoggerOf(logger) },
  );
  const runner = new BatchConsumerRunner({
    js: options.js,
    stream: ns.stream(options.stream.name),
    durable,
    handler: options.handler,
    deadLetterSubject: ns.subject(deadLetterSubject(options.service, durable)),
    batchSize: options.batchSize,
    lingerMs: options.lingerMs,
    logger,
  });
  await runner.start();
  return runner;
}

export interface TenantBatchDurableOptions<T, Tx extends SqlClient> extends Omit<BatchDurableOptions, 'handler'> {
  db: TenantDatabase<Tx>;
  /** The service's schema, whose inbox drops what was applied before (a redelivery). */
  inboxSchema: string;
  /** The event types applied, each with an inbox row. */
  eventTypes: readonly string[];
  /** Other events the filter brings that need nothing here: acknowledged as they come. */
  ignoredTypes?: readonly string[];
  /** One tenant's events not applied before, in stream order, inside the tenant's transaction. */
  apply(tx: Tx, tenantId: string, items: TenantBatchItem<T>[]): Promise<void>;
}

/**
 * A durable consumer of a busy stream taken a batch at a time: the batch is split by tenant,
 * each tenant's events are applied in one transaction with an inbox row per event, and the
 * messages are acknowledged once it commits (a failed tenant's are retried, a message that is
 * not one of the event types is dead-lettered). The owning service starts and stops it.
 */
export class TenantBatchDurable<T, Tx extends SqlClient> {
  private readonly logger: Logger;
  private readonly applied: ReadonlySet<string>;
  private runner?: BatchConsumerRunner;

  constructor(private readonly options: TenantBatchDurableOptions<T, Tx>) {
    this.logger = new Logger(options.durable);
    this.applied = new Set(options.eventTypes);
  }

  async start(): Promise<void> {
    this.runner = await startBatchDurable({ ...this.options, handler: (batch) => this.handle(batch) });
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
  }

  handle(batch: readonly BatchMessage[]): Promise<BatchOutcome[]> {
    const { db, inboxSchema, durable, eventTypes, ignoredTypes = [] } = this.options;
    return handleByTenant<T>(
      batch,
      [...eventTypes, ...ignoredTypes],
      async (tenantId, items) => {
        const work = items.filter((item) => this.applied.has(item.type));
        if (work.length === 0) return;
        await db.withTenant(tenantId, async (tx) => {
          const fresh = await claimInboxEntries(tx, inboxSchema, durable, tenantId, work);
          if (fresh.length > 0) await this.options.apply(tx, tenantId, fresh);
        });
      },
      (tenantId, count, error) => this.logger.warn(`${count} events of tenant ${tenantId} failed: ${errorMessage(error)}`),
    );
  }
}

/** A Nest provider that runs one TenantBatchDurable with the application's lifecycle. */
export abstract class TenantBatchConsumer<T, Tx extends SqlClient> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected abstract readonly durable: TenantBatchDurable<T, Tx>;

  onApplicationBootstrap(): Promise<void> {
    return this.durable.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.durable.stop();
  }

  /** What the runner does with a batch; tests hand batches here directly. */
  handle(batch: readonly BatchMessage[]): Promise<BatchOutcome[]> {
    return this.durable.handle(batch);
  }
}
