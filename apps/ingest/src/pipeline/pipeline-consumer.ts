import { jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { deadLetterSubject, Namespace, RAW_WEBHOOK_SUBJECT_ROOT, STREAMS } from '@parking/contracts';
import type { SqlClient, TenantDatabase } from '@parking/database';
import { BatchConsumerRunner, ensureStreams, MessagingLogger, OutboxWriter, provisionConsumer, retryLoggerOf, retryTransient, silentMessagingLogger } from '@parking/messaging';
import { UplinkPipeline } from './uplink-pipeline';

/**
 * A batch waits up to 10 ms for more webhooks: under a steady stream a batch then holds a few
 * instead of one or two, and the transaction, receipts, inserts and relay pass are paid per
 * batch (at 200 uplinks/s the service's CPU per uplink fell by about a sixth in alternated
 * runs of bench:e2e), for 10 ms more of latency when traffic is thin.
 */
const LINGER_MS = 10;

export const PIPELINE_DURABLE = 'ingest-uplink-pipeline';
export const PIPELINE_FILTER = `${RAW_WEBHOOK_SUBJECT_ROOT}.>`;

export interface PipelineConsumerOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  namespace: Namespace;
  /** Raw SQL only: the service runs it over node-postgres (RAW_TENANT_DATABASE). */
  db: TenantDatabase<SqlClient>;
  outbox: OutboxWriter;
  logger?: MessagingLogger;
  batchSize?: number;
  maxDeliveries?: number;
  /** Backoff of transient failures (default: 1 s doubling to 60 s). */
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** Distinct orphan devEUIs recorded per source (default ORPHAN_DEVEUIS_PER_SOURCE). */
  orphanDevEuisPerSource?: number;
}

/** The dead-letter subject of the pipeline (logical, without namespace). */
export const PIPELINE_DEAD_LETTERS = deadLetterSubject('ingest', PIPELINE_DURABLE);

/**
 * The durable pull consumer on WEBHOOKS (`webhook.chirpstack.>`) feeding the pipeline in
 * batches. Creates the stream when missing and provisions the consumer idempotently, so it
 * can start before the gateway ever did.
 */
export class PipelineConsumer {
  private runner?: BatchConsumerRunner;

  constructor(private readonly options: PipelineConsumerOptions) {}

  get running(): boolean {
    return this.runner?.running ?? false;
  }

  async start(): Promise<void> {
    const { nc, js, namespace, db, outbox, logger } = this.options;
    const batchSize = this.options.batchSize ?? 256;
    await retryTransient(
      async () => {
        const jsm = await jetstreamManager(nc);
        // The gateway owns WEBHOOKS: created when missing, never changed (see NATS_ACCESS).
        await ensureStreams(jsm, [STREAMS.WEBHOOKS, STREAMS.DEADLETTER], namespace);
        await provisionConsumer(jsm, {
          stream: namespace.stream(STREAMS.WEBHOOKS.name),
          durable: PIPELINE_DURABLE,
          filterSubject: namespace.subject(PIPELINE_FILTER),
          ackWaitMs: 30_000,
          // Bounds what one replica holds unacknowledged: a few batches.
          maxAckPending: batchSize * 4,
          description: 'Raw ChirpStack webhooks to uplinks and device events',
        });
      },
      { what: `${PIPELINE_DURABLE}: provisioning its consumer`, logger: retryLoggerOf(logger ?? silentMessagingLogger) },
    );
    const pipeline = new UplinkPipeline(db, outbox, logger, { orphanDevEuisPerSource: this.options.orphanDevEuisPerSource });
    this.runner = new BatchConsumerRunner({
      js,
      stream: namespace.stream(STREAMS.WEBHOOKS.name),
      durable: PIPELINE_DURABLE,
      handler: pipeline.handle,
      deadLetterSubject: namespace.subject(PIPELINE_DEAD_LETTERS),
      batchSize,
      lingerMs: LINGER_MS,
      maxDeliveries: this.options.maxDeliveries,
      backoff: this.options.backoff,
      logger,
    });
    await this.runner.start();
  }

  /** Finishes the batch in flight (commit, ack) and stops. */
  async stop(): Promise<void> {
    await this.runner?.stop();
  }
}
