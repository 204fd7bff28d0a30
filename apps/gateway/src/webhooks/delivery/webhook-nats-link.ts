import { setTimeout as delay } from 'node:timers/promises';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { STREAMS, type StreamLimitOverrides } from '@parking/contracts';
import { connectNats, provisionStreams, type NatsAuth } from '@parking/messaging';

export interface LinkLogger {
  log(message: string): void;
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface WebhookNatsLinkOptions {
  natsUrl: string;
  natsAuth?: NatsAuth;
  namespace: string;
  /** Replicas of the WEBHOOKS stream when the gateway creates it. */
  streamReplicas?: number;
  /** Over the WEBHOOKS stream's declared max_bytes and max_age (NATS_STREAM_LIMITS). */
  streamLimits?: StreamLimitOverrides;
  logger: LinkLogger;
}

const RETRY_MS = { first: 250, max: 5_000 };

/**
 * The gateway's one NATS connection for webhooks. Connects in the background (the gateway
 * boots and spools while NATS is down), reconnects forever, follows the connection's status
 * so a webhook is spooled at once instead of waiting for a publish timeout while NATS is
 * away, and (re)provisions the WEBHOOKS stream whenever the connection comes (back) up.
 */
export class WebhookNatsLink {
  private nats?: NatsConnection;
  private client?: JetStreamClient;
  private connectedNow = false;
  private streamProvisioned = false;
  private readonly stopping = new AbortController();
  private readonly readyListeners = new Set<() => void>();
  private running?: Promise<void>;

  constructor(private readonly options: WebhookNatsLinkOptions) {}

  /** Connected, as far as the client knows (a silent network cut shows up as a publish timeout). */
  get connected(): boolean {
    return this.connectedNow;
  }

  /** Connected and the WEBHOOKS stream was provisioned on this connection. */
  get streamReady(): boolean {
    return this.connectedNow && this.streamProvisioned;
  }

  get js(): JetStreamClient | undefined {
    return this.connectedNow ? this.client : undefined;
  }

  get connection(): NatsConnection | undefined {
    return this.nats;
  }

  /** Called each time the stream is ready after a (re)connect. */
  onStreamReady(listener: () => void): void {
    this.readyListeners.add(listener);
  }

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.nats?.drain().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    const nats = await this.connect();
    if (!nats) return;
    this.nats = nats;
    this.client = jetstream(nats);
    this.connectedNow = true;
    this.options.logger.debug('connected to NATS for webhooks');
    void this.provision();
    for await (const status of nats.status()) {
      if (status.type === 'disconnect') {
        this.connectedNow = false;
        this.streamProvisioned = false;
        this.options.logger.warn('NATS connection lost: webhooks go to the spool until it is back');
      } else if (status.type === 'reconnect') {
        this.connectedNow = true;
        this.options.logger.log('NATS connection is back');
        void this.provision();
      }
    }
    this.connectedNow = false;
  }

  private async connect(): Promise<NatsConnection | undefined> {
    let waitMs = RETRY_MS.first;
    while (!this.stopping.signal.aborted) {
      try {
        const nats = await connectNats({ url: this.options.natsUrl, name: 'gateway-webhooks', auth: this.options.natsAuth });
        if (!this.stopping.signal.aborted) return nats;
        await nats.close();
        return undefined;
      } catch (error) {
        this.options.logger.warn(`NATS is not reachable (${(error as Error).message}); webhooks go to the spool, retrying in ${waitMs} ms`);
      }
      await delay(waitMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      waitMs = Math.min(waitMs * 2, RETRY_MS.max);
    }
    return undefined;
  }

  /** Idempotent; retried while connected until it works (JetStream may come up after the server). */
  private async provision(): Promise<void> {
    let waitMs = RETRY_MS.first;
    while (this.connectedNow && !this.stopping.signal.aborted && this.nats) {
      try {
        await provisionStreams(await jetstreamManager(this.nats), [STREAMS.WEBHOOKS], this.options.namespace, { replicas: this.options.streamReplicas, limits: this.options.streamLimits });
        this.streamProvisioned = true;
        for (const listener of this.readyListeners) listener();
        return;
      } catch (error) {
        this.options.logger.warn(`cannot provision the WEBHOOKS stream (${(error as Error).message}); retrying in ${waitMs} ms`);
      }
      await delay(waitMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      waitMs = Math.min(waitMs * 2, RETRY_MS.max);
    }
  }
}
