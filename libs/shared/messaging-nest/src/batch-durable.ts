import { jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { deadLetterSubject, Namespace, STREAMS, type StreamSpec } from '@parking/contracts';
import { BatchConsumerRunner, ensureStreams, provisionConsumer, type BatchMessage, type BatchOutcome } from '@parking/messaging';
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
  handler: (batch: readonly BatchMessage[]) => Promise<BatchOutcome[]>;
}

/**
 * Provisions a durable consumer and starts a BatchConsumerRunner on it, for the busy streams a
 * service takes a batch at a time (one transaction per tenant); the caller stops the runner at
 * shutdown. What one replica holds unacknowledged is a few batches.
 */
export async function startBatchDurable(options: BatchDurableOptions): Promise<BatchConsumerRunner> {
  const { ns, durable } = options;
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
  const runner = new BatchConsumerRunner({
    js: options.js,
    stream: ns.stream(options.stream.name),
    durable,
    handler: options.handler,
    deadLetterSubject: ns.subject(deadLetterSubject(options.service, durable)),
    batchSize: options.batchSize,
    logger: nestMessagingLogger(),
  });
  await runner.start();
  return runner;
}
