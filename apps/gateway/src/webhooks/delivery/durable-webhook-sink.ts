import { toNatsHeaders } from '@parking/messaging';
import { SpoolFullError, type SpoolStats, type WebhookSpool } from '../spool/webhook-spool';
import { spoolFull, webhookPublishDuration } from '../webhook-metrics';
import type { LinkLogger, WebhookNatsLink } from './webhook-nats-link';

/** A webhook ready to be made durable: the namespaced subject, the msgID, the headers, the raw body. */
export interface OutgoingWebhook {
  subject: string;
  msgId: string;
  headers: Record<string, string>;
  body: Buffer;
}

export type Acceptance = { durable: 'stream'; duplicate: boolean } | { durable: 'spool' };

/** Neither JetStream nor the spool could take the webhook: the caller answers 503. */
export class WebhookUnavailableError extends Error {
  override readonly name = 'WebhookUnavailableError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface WebhookDurabilityHealth {
  /** A webhook sent now would be made durable. */
  accepting: boolean;
  nats: { connected: boolean; streamReady: boolean };
  spool: { available: boolean; full: boolean; oldestAgeSeconds: number | null } & Omit<SpoolStats, 'oldestSpooledAt'>;
}

const SPOOL_FULL_RETRY_AFTER_S = 30;
const WARN_EVERY_MS = 10_000;

/**
 * Makes a webhook durable before it is answered: published to JetStream and acked within
 * `publishTimeoutMs`, or else appended to the fsynced spool.
 *
 * New webhooks are published directly even while older ones still wait in the spool, so the
 * stream may hold them out of arrival order. That is safe: the ingest consumer never depends on
 * delivery order (a reading changes a space only if it is newer by session, fCnt and event
 * time, see docs/architecture.md), and it runs several replicas anyway. Sending new webhooks to
 * the spool instead would make it grow for as long as replay lags behind live traffic.
 */
export class DurableWebhookSink {
  private lastWarnAt = 0;

  constructor(
    private readonly link: WebhookNatsLink,
    private readonly spool: WebhookSpool | undefined,
    private readonly options: { publishTimeoutMs: number; logger: LinkLogger },
  ) {}

  async accept(webhook: OutgoingWebhook): Promise<Acceptance> {
    const js = this.link.js;
    if (js) {
      const started = process.hrtime.bigint();
      try {
        const ack = await js.publish(webhook.subject, webhook.body, {
          msgID: webhook.msgId,
          headers: toNatsHeaders(webhook.headers),
          timeout: this.options.publishTimeoutMs,
        });
        webhookPublishDuration.observe({ result: 'acked' }, secondsSince(started));
        return { durable: 'stream', duplicate: ack.duplicate };
      } catch (error) {
        webhookPublishDuration.observe({ result: 'failed' }, secondsSince(started));
        this.warnSometimes(`publishing a webhook to JetStream failed (${(error as Error).message}); spooling it`);
      }
    }
    return this.toSpool(webhook);
  }

  health(): WebhookDurabilityHealth {
    const stats = this.spool?.stats ?? { events: 0, bytes: 0, capacityBytes: 0 };
    const full = !this.spool || stats.bytes >= stats.capacityBytes * 0.99;
    const { oldestSpooledAt, ...counts } = stats;
    return {
      accepting: this.link.connected || (!!this.spool && !full),
      nats: { connected: this.link.connected, streamReady: this.link.streamReady },
      spool: {
        available: !!this.spool,
        full: !!this.spool && full,
        ...counts,
        oldestAgeSeconds: oldestSpooledAt === undefined ? null : Math.max(0, Math.round((Date.now() - oldestSpooledAt) / 1000)),
      },
    };
  }

  private async toSpool(webhook: OutgoingWebhook): Promise<Acceptance> {
    if (!this.spool) throw new WebhookUnavailableError('NATS is unreachable and the spool could not be opened', 5);
    try {
      await this.spool.append(webhook);
      return { durable: 'spool' };
    } catch (error) {
      if (error instanceof SpoolFullError) {
        spoolFull.inc({ scope: error.scope === 'owner' ? 'tenant' : 'spool' });
        if (error.scope === 'owner') {
          this.warnSometimes(`webhook refused with 503: NATS is unreachable and ${error.message} (SPOOL_TENANT_SHARE_PERCENT)`);
          throw new WebhookUnavailableError("NATS is unreachable and this tenant's share of the spool is full", SPOOL_FULL_RETRY_AFTER_S);
        }
        this.options.logger.error(`webhook refused with 503: NATS is unreachable and ${error.message} (SPOOL_MAX_BYTES)`);
        throw new WebhookUnavailableError('NATS is unreachable and the spool is full', SPOOL_FULL_RETRY_AFTER_S);
      }
      this.options.logger.error(`webhook refused with 503: NATS is unreachable and the spool cannot be written (${(error as Error).message})`);
      throw new WebhookUnavailableError('NATS is unreachable and the spool cannot be written', 5);
    }
  }

  /** A NATS outage fails every publish; one line every few seconds says it. */
  private warnSometimes(message: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.options.logger.warn(message);
  }
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
