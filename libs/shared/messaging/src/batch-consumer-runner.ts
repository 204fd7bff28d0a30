import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { consumerRedeliveries, messagesHandled, watchConsumerPending } from '@parking/observability';
import { BackoffPolicy, DEFAULT_BACKOFF, redeliveryDelay } from './backoff';
import { deadLetterAndTerm } from './dead-letter';
import { errorMessage } from './errors';
import { fromNatsHeaders } from './headers';
import { MessagingLogger, silentMessagingLogger } from './logger';
import { sleep } from './sleep';

/** One message of a batch, as the handler sees it. */
export interface BatchMessage {
  subject: string;
  data: Uint8Array;
  headers: Record<string, string>;
  streamSequence: number;
  deliveryCount: number;
}

/**
 * What became of one message: `ack` once its effects are committed (or it needs none),
 * `poison` when no retry can help (dead letter + term), `retry` for a transient failure
 * (nak with backoff, dead letter once max deliveries are reached).
 */
export type BatchOutcome = { kind: 'ack' } | { kind: 'poison'; reason: string } | { kind: 'retry'; error: unknown };

/** Handles a whole batch; answers one outcome per message, in the same order. Throwing retries them all. */
export type BatchHandler = (batch: readonly BatchMessage[]) => Promise<BatchOutcome[]>;

export interface BatchConsumerRunnerOptions {
  js: JetStreamClient;
  /** Namespaced stream name. */
  stream: string;
  durable: string;
  handler: BatchHandler;
  /** Namespaced `deadletter.<service>.<consumer>`. */
  deadLetterSubject: string;
  /** Metrics and dead-letter name; defaults to the durable name. */
  consumerName?: string;
  /** Most messages handed to the handler at once (default 256). */
  batchSize?: number;
  /**
   * How long a batch may wait, from its first message, for more to arrive before it is handled
   * (default 0: at once; at most a third of the consumer's ack_wait, so nothing is redelivered
   * while it waits). For consumers whose readers do not wait on them (statistics), so a steady
   * trickle costs one transaction a linger rather than one every few messages.
   */
  lingerMs?: number;
  maxDeliveries?: number;
  backoff?: Partial<BackoffPolicy>;
  logger?: MessagingLogger;
}


/**
 * Pulls one durable consumer and hands the handler whatever has arrived, up to `batchSize`
 * messages at a time, one batch after another. Memory stays bounded: the pump stops reading
 * while a full batch waits, so JetStream is asked for more only as batches complete. Settles
 * each message by the handler's outcome. `stop()` finishes the batch in flight, settles it
 * and hands back what was buffered but not started.
 */
export class BatchConsumerRunner {
  private readonly batchSize: number;
  private lingerMs: number;
  private readonly maxDeliveries: number;
  private readonly backoff: BackoffPolicy;
  private readonly logger: MessagingLogger;
  private readonly name: string;
  private readonly queue: JsMsg[] = [];
  private stopping = false;
  private started = false;
  private messages?: ConsumerMessages;
  private pumpDone: Promise<void> = Promise.resolve();
  private loopDone: Promise<void> = Promise.resolve();
  private heartbeatMs = 10_000;
  private unwatchPending?: () => void;
  private wakeLoop?: () => void;
  private wakePump?: () => void;
  private lingering = false;

  constructor(private readonly options: BatchConsumerRunnerOptions) {
    this.batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    this.lingerMs = options.lingerMs ?? 0;
    if (!(this.lingerMs >= 0 && Number.isFinite(this.lingerMs))) throw new RangeError(`lingerMs must be a finite number of milliseconds ≥ 0, got ${this.lingerMs}`);
    this.maxDeliveries = options.maxDeliveries ?? 8;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.logger = options.logger ?? silentMessagingLogger;
    this.name = options.consumerName ?? options.durable;
  }

  /** True between a successful start() and stop(): for readiness. */
  get running(): boolean {
    return this.started && !this.stopping;
  }

  /** Resolves once the consumer is found and pulling; fails if it does not exist. */
  async start(): Promise<void> {
    const consumer = await this.options.js.consumers.get(this.options.stream, this.options.durable);
    const info = await consumer.info(true);
    // Beat well inside ack_wait so a long batch is never redelivered to another replica.
    this.heartbeatMs = Math.max(100, Math.floor((info.config.ack_wait ?? 30e9) / 1e6 / 3));
    // A lingering batch gets no heartbeat yet: it must start well inside ack_wait.
    this.lingerMs = Math.min(this.lingerMs, this.heartbeatMs);
    this.unwatchPending = watchConsumerPending({ stream: this.options.stream, consumer: this.name }, async () => (await consumer.info()).num_pending);
    this.messages = await consumer.consume({ max_messages: this.batchSize });
    this.started = true;
    this.pumpDone = this.pump(consumer, this.messages);
    this.loopDone = this.loop();
  }

  /**
   * Stops pulling, finishes and settles the batch in flight, naks what was buffered but never
   * started. Messages still on their way to the stopped pull come back after ack_wait.
   */
  async stop(): Promise<void> {
    if (this.stopping) return this.loopDone;
    this.stopping = true;
    this.unwatchPending?.();
    this.messages?.stop();
    this.wakeLoop?.();
    this.wakePump?.();
    await this.loopDone;
    await this.pumpDone;
    // Buffered but never handed to the handler: give them back now rather than after ack_wait.
    for (const msg of this.queue.splice(0)) msg.nak();
  }

  private async pump(consumer: Consumer, messages: ConsumerMessages): Promise<void> {
    while (!this.stopping) {
      try {
        for await (const msg of messages) {
          this.queue.push(msg);
          // Once stopping, keep taking what the iterator still holds: stop() naks it all.
          if (this.stopping) continue;
          // A lingering batch is woken only once it is full.
          if (!this.lingering || this.queue.length >= this.batchSize) this.wakeLoop?.();
          while (this.queue.length >= this.batchSize && !this.stopping) {
            await new Promise<void>((resolve) => (this.wakePump = resolve));
          }
        }
      } catch (error) {
        this.logger.error({ err: errorMessage(error), consumer: this.name }, 'consume loop failed; resubscribing');
      }
      if (this.stopping) break;
      await sleep(1_000);
      if (this.stopping) break;
      messages = await consumer.consume({ max_messages: this.batchSize }).catch(() => messages);
      this.messages = messages;
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.wakeLoop = resolve));
        continue;
      }
      if (this.lingerMs > 0 && this.queue.length < this.batchSize) {
        await this.linger();
        // Stopped while lingering: stop() gives the batch back, none of it started.
        if (this.stopping) break;
      }
      const batch = this.queue.splice(0, this.batchSize);
      this.wakePump?.();
      await this.runBatch(batch).catch((error) =>
        // A bug here must not kill the loop; the messages come back after ack_wait.
        this.logger.error({ err: errorMessage(error), consumer: this.name, size: batch.length }, 'batch processing crashed'),
      );
    }
  }

  /** Waits until the batch is full, lingerMs has passed, or the runner stops. */
  private async linger(): Promise<void> {
    this.lingering = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.lingerMs);
        this.wakeLoop = resolve;
      });
    } finally {
      clearTimeout(timer);
      this.lingering = false;
    }
  }

  private async runBatch(batch: JsMsg[]): Promise<void> {
    const labels = { stream: this.options.stream, consumer: this.name };
    const views = batch.map((msg): BatchMessage => {
      if (msg.info.deliveryCount > 1) consumerRedeliveries.inc(labels);
      return {
        subject: msg.subject,
        data: msg.data,
        headers: fromNatsHeaders(msg.headers),
        streamSequence: msg.seq,
        deliveryCount: msg.info.deliveryCount,
      };
    });
    const heartbeat = setInterval(() => batch.forEach((msg) => msg.working()), this.heartbeatMs);
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.options.handler(views);
    } catch (error) {
      outcomes = batch.map(() => ({ kind: 'retry', error }));
    } finally {
      clearInterval(heartbeat);
    }
    await Promise.all(batch.map((msg, i) => this.settle(msg, outcomes[i] ?? { kind: 'retry', error: new Error('the handler gave no outcome') })));
  }

  private async settle(msg: JsMsg, outcome: BatchOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'ack':
        // The commit happened; a lost ack only means a redelivery that the handler's dedup drops.
        msg.ack();
        messagesHandled.inc({ consumer: this.name, outcome: 'ack' });
        return;
      case 'poison':
        return this.deadLetter(msg, 'handler_poison', outcome.reason);
      case 'retry': {
        const deliveries = msg.info.deliveryCount;
        if (deliveries >= this.maxDeliveries) return this.deadLetter(msg, 'max_deliveries', `max deliveries reached: ${errorMessage(outcome.error)}`);
        const delay = redeliveryDelay(deliveries, this.backoff);
        this.logger.warn({ consumer: this.name, seq: msg.seq, deliveries, delay, err: errorMessage(outcome.error) }, 'message failed; retrying later');
        msg.nak(delay);
        messagesHandled.inc({ consumer: this.name, outcome: 'nak' });
        return;
      }
    }
  }

  private deadLetter(msg: JsMsg, kind: string, reason: string): Promise<void> {
    return deadLetterAndTerm(
      { js: this.options.js, subject: this.options.deadLetterSubject, consumer: this.name, backoff: this.backoff, logger: this.logger },
      msg,
      kind,
      reason,
    );
  }
}
