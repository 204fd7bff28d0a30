import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { EventEnvelope } from '@parking/contracts';
import type { SqlClient, TenantDatabase } from '@parking/database';
import { consumerRedeliveries, messagesHandled, runWithTraceContext, watchConsumerPending } from '@parking/observability';
import { BackoffPolicy, DEFAULT_BACKOFF, redeliveryDelay } from './backoff';
import { ConcurrencyLimit } from './concurrency-limit';
import { deadLetterAndTerm } from './dead-letter';
import { decodeEvent, PoisonKind } from './decode-event';
import { errorMessage } from './errors';
import { fromNatsHeaders } from './headers';
import { claimInboxEntry } from './inbox';
import { MessagingLogger, silentMessagingLogger } from './logger';
import { sleep } from './sleep';

export interface EventHandlerContext {
  subject: string;
  streamSequence: number;
  deliveryCount: number;
  headers: Record<string, string>;
  /** Tells JetStream the message is still being worked on (the runner also does it on a timer). */
  working(): void;
}

/** Runs inside the tenant's transaction, after the inbox insert; throw to roll both back. */
export type EventHandler<Tx extends SqlClient = SqlClient> = (envelope: EventEnvelope, tx: Tx, ctx: EventHandlerContext) => Promise<void>;

export interface ConsumerRunnerOptions<Tx extends SqlClient> {
  js: JetStreamClient;
  /** Namespaced stream name. */
  stream: string;
  durable: string;
  handler: EventHandler<Tx>;
  db: TenantDatabase<Tx>;
  /** The service schema whose `inbox` table deduplicates. */
  inboxSchema: string;
  /** Namespaced `deadletter.<service>.<consumer>`. */
  deadLetterSubject: string;
  /** Inbox and metrics name; defaults to the durable name. */
  consumerName?: string;
  concurrency?: number;
  maxDeliveries?: number;
  backoff?: Partial<BackoffPolicy>;
  logger?: MessagingLogger;
}


function isPoison(error: unknown): boolean {
  return error instanceof Error && error.name === 'PoisonMessageError';
}

/**
 * Pulls one durable consumer with bounded concurrency. Each event is handled once in
 * effect: inbox insert and handler share the tenant's transaction, ack follows the commit,
 * transient failures are nak'ed with growing delays, poison goes to the dead letters.
 */
export class ConsumerRunner<Tx extends SqlClient = SqlClient> {
  private readonly concurrency: number;
  private readonly limit: ConcurrencyLimit;
  private readonly maxDeliveries: number;
  private readonly backoff: BackoffPolicy;
  private readonly logger: MessagingLogger;
  private readonly name: string;
  private stopping = false;
  private messages?: ConsumerMessages;
  private loopDone: Promise<void> = Promise.resolve();
  private heartbeatMs = 10_000;
  private unwatchPending?: () => void;

  constructor(private readonly options: ConsumerRunnerOptions<Tx>) {
    this.concurrency = options.concurrency ?? 16;
    this.limit = new ConcurrencyLimit(this.concurrency);
    this.maxDeliveries = options.maxDeliveries ?? 8;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.logger = options.logger ?? silentMessagingLogger;
    this.name = options.consumerName ?? options.durable;
  }

  /** Resolves once the consumer is found and pulling; fails if it does not exist. */
  async start(): Promise<void> {
    const consumer = await this.options.js.consumers.get(this.options.stream, this.options.durable);
    const info = await consumer.info(true);
    // Beat well inside ack_wait so a slow handler is never redelivered to someone else.
    this.heartbeatMs = Math.max(100, Math.floor((info.config.ack_wait ?? 30e9) / 1e6 / 3));
    this.unwatchPending = watchConsumerPending({ stream: this.options.stream, consumer: this.name }, async () => (await consumer.info()).num_pending);
    this.messages = await consumer.consume({ max_messages: this.concurrency });
    this.loopDone = this.pull(consumer, this.messages);
  }

  /** Stops pulling, lets in-flight handlers commit and ack, then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unwatchPending?.();
    this.messages?.stop();
    await this.loopDone;
    await this.limit.idle();
  }

  private async pull(consumer: Consumer, messages: ConsumerMessages): Promise<void> {
    while (!this.stopping) {
      try {
        for await (const msg of messages) {
          await this.limit.acquire();
          if (this.stopping) {
            // Buffered but never started: hand it back now rather than after ack_wait.
            this.limit.release();
            msg.nak();
            continue;
          }
          void this.process(msg)
            // A bug here must not kill the loop; the message comes back after ack_wait.
            .catch((error) => this.logger.error({ err: errorMessage(error), consumer: this.name, seq: msg.seq }, 'message processing crashed'))
            .finally(() => this.limit.release());
        }
      } catch (error) {
        this.logger.error({ err: errorMessage(error), consumer: this.name }, 'consume loop failed; resubscribing');
      }
      if (this.stopping) break;
      await sleep(1_000);
      if (this.stopping) break;
      messages = await consumer.consume({ max_messages: this.concurrency }).catch(() => messages);
      this.messages = messages;
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    const labels = { stream: this.options.stream, consumer: this.name };
    if (msg.info.deliveryCount > 1) consumerRedeliveries.inc(labels);
    const decoded = decodeEvent(msg);
    if (!decoded.ok) return this.deadLetter(msg, decoded.kind, decoded.reason);

    const heartbeat = setInterval(() => msg.working(), this.heartbeatMs);
    let outcome: 'ack' | 'duplicate';
    try {
      outcome = await this.handleInTransaction(msg, decoded.envelope);
    } catch (error) {
      return this.fail(msg, error);
    } finally {
      clearInterval(heartbeat);
    }
    await this.ack(msg);
    messagesHandled.inc({ consumer: this.name, outcome });
  }

  private handleInTransaction(msg: JsMsg, envelope: EventEnvelope): Promise<'ack' | 'duplicate'> {
    const headers = fromNatsHeaders(msg.headers);
    const ctx: EventHandlerContext = {
      subject: msg.subject,
      streamSequence: msg.seq,
      deliveryCount: msg.info.deliveryCount,
      headers,
      working: () => msg.working(),
    };
    return runWithTraceContext(headers, `consume ${envelope.type}`, () =>
      this.options.db.withTenant(envelope.tenantid, async (tx) => {
        if (!(await claimInboxEntry(tx, this.options.inboxSchema, this.name, envelope, msg.subject))) return 'duplicate';
        await this.options.handler(envelope, tx, ctx);
        return 'ack';
      }),
    );
  }

  private async fail(msg: JsMsg, error: unknown): Promise<void> {
    if (isPoison(error)) return this.deadLetter(msg, 'handler_poison', errorMessage(error));
    const deliveries = msg.info.deliveryCount;
    if (deliveries >= this.maxDeliveries) {
      return this.deadLetter(msg, 'max_deliveries', `max deliveries reached: ${errorMessage(error)}`);
    }
    const delay = redeliveryDelay(deliveries, this.backoff);
    this.logger.warn({ consumer: this.name, seq: msg.seq, deliveries, delay, err: errorMessage(error) }, 'handler failed; retrying later');
    msg.nak(delay);
    messagesHandled.inc({ consumer: this.name, outcome: 'nak' });
  }

  private deadLetter(msg: JsMsg, kind: PoisonKind, reason: string): Promise<void> {
    return deadLetterAndTerm(
      { js: this.options.js, subject: this.options.deadLetterSubject, consumer: this.name, backoff: this.backoff, logger: this.logger },
      msg,
      kind,
      reason,
    );
  }

  /** The commit happened; a lost ack only means a redelivery that the inbox drops. */
  private async ack(msg: JsMsg): Promise<void> {
    try {
      await msg.ackAck();
    } catch (error) {
      this.logger.warn({ consumer: this.name, seq: msg.seq, err: errorMessage(error) }, 'ack not confirmed');
    }
  }
}
