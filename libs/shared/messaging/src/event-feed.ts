import { setTimeout as delay } from 'node:timers/promises';
import { jetstream, type ConsumerMessages, type DeliverPolicy } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { asNamespace, type EventEnvelope, type Namespace } from '@parking/contracts';
import { connectNats, type NatsAuth } from './connect-nats';
import { decodeEvent } from './decode-event';
import { logRetry, retryUntilStopped } from './retry-until-stopped';

export interface EventFeedOptions {
  natsUrl: string;
  /** The service's NATS user and inbox prefix. */
  natsAuth?: NatsAuth;
  /** The NATS connection's name, as monitoring shows it. */
  connectionName: string;
  namespace?: Namespace | string;
  /** The stream (logical name) and the one filter subject (logical) of the ordered consumer. */
  stream: string;
  filter: string;
  deliverPolicy: DeliverPolicy;
  /** Each valid event, in stream order; an invalid one is logged and skipped. */
  onEvent(envelope: EventEnvelope): void;
  /** Once the consumer exists (the first time only): later events will not be missed. */
  onFollowing?(): void;
  /**
   * Every change between following (a consumer delivers) and not (it failed or ended, and is
   * being created again): events published meanwhile may reach this process late, or, with a
   * deliver policy that starts at the present, never.
   */
  onFollowingChanged?(following: boolean): void;
  logger: { warn(message: string): void; debug?(message: string): void };
  /**
   * How long a feed that has never followed may wait for its stream at debug level before its
   * retries are warnings: at start-up the stream's owner may not have created it yet (30 s).
   */
  startUpGraceMs?: number;
  /** What the feed is, for its log lines: `tenant limits`. */
  label: string;
}

/**
 * A process's in-memory copy of a stream's events: an ordered JetStream consumer that is
 * created again (with backoff) whenever it fails or ends, until `stop()`. Runs in the
 * background, so its owner serves while NATS or the stream are not there yet. A stop that
 * arrives while the connection or the consumer is being set up closes what it finds.
 */
export class EventFeed {
  private readonly stopping = new AbortController();
  private startedAt = Date.now();
  private readonly namespace: Namespace;
  private nats?: NatsConnection;
  private messages?: ConsumerMessages;
  private running: Promise<void> = Promise.resolve();
  private following = false;

  constructor(private readonly options: EventFeedOptions) {
    this.namespace = asNamespace(options.namespace);
  }

  start(): void {
    this.startedAt = Date.now();
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.messages?.close().catch(() => undefined);
    await this.nats?.close().catch(() => undefined);
    await this.running;
    // A connection whose first connect resolved while stopping is closed here.
    await this.nats?.close().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      await retryUntilStopped(() => this.follow(), {
        signal,
        onFailure: (error, nextMs) => this.reportFailure(error as Error, nextMs),
      });
      // The consumer ended without an error (closed by the server): start over, gently.
      await delay(500, undefined, { signal }).catch(() => undefined);
    }
  }

  /** A retry is a warning, unless the feed is still starting and may simply be early. */
  private reportFailure(error: Error, nextMs: number): void {
    const retry = `retrying in ${Math.round(nextMs)} ms`;
    if (this.following) this.options.logger.warn(`${this.options.label} feed interrupted (${error.message}); ${retry}`);
    else logRetry(this.options.logger, this.startedAt, `${this.options.label} feed waiting for its stream or NATS (${error.message}); ${retry}`, this.options.startUpGraceMs);
  }

  private async follow(): Promise<void> {
    // connectNats reconnects forever once connected; only the first connect can fail here.
    this.nats ??= await connectNats({ url: this.options.natsUrl, name: this.options.connectionName, auth: this.options.natsAuth });
    if (this.stopping.signal.aborted) return;
    const consumer = await jetstream(this.nats).consumers.get(this.namespace.stream(this.options.stream), {
      filter_subjects: this.namespace.subject(this.options.filter),
      deliver_policy: this.options.deliverPolicy,
    });
    this.messages = await consumer.consume();
    // stop() may have run during the setup: it could not close what did not exist yet.
    if (this.stopping.signal.aborted) {
      await this.messages.close();
      return;
    }
    if (!this.following) {
      this.following = true;
      this.options.onFollowing?.();
    }
    this.options.onFollowingChanged?.(true);
    try {
      for await (const message of this.messages) {
        const decoded = decodeEvent(message);
        if (decoded.ok) this.options.onEvent(decoded.envelope);
        else this.options.logger.warn(`ignoring a ${this.options.label} event: ${decoded.reason}`);
      }
    } finally {
      this.options.onFollowingChanged?.(false);
    }
  }
}
