import { RAW_WEBHOOK_HEADERS } from '@parking/contracts';
import { toNatsHeaders } from '@parking/messaging';
import type { WebhookSpool } from '../spool/webhook-spool';
import { spoolReplayed } from '../webhook-metrics';
import type { LinkLogger, WebhookNatsLink } from './webhook-nats-link';

export interface SpoolReplayerOptions {
  publishTimeoutMs: number;
  logger: LinkLogger;
  /** How often the cursor is persisted while replaying (it is always persisted when the spool empties). */
  persistEveryMs?: number;
  /** The longest sleep with nothing to replay: a new record and the stream coming back wake it at once. */
  idleCheckMs?: number;
}

const IDLE_CHECK_MS = 30_000;

const BACKOFF_MS = { first: 250, max: 10_000 };

/**
 * Publishes what the spool holds, oldest first, while the WEBHOOKS stream is reachable: one
 * record at a time, the next only after JetStream acked the previous one (same msgID as the
 * first attempt, plus `Parking-Spooled: true`). The cursor moves past a record only after its
 * ack and is persisted every few hundred ms and whenever the spool runs empty; a crash in
 * between publishes a few records again, which JetStream's duplicate window (and after it the
 * ingest consumer's dedup by deduplicationId) drops.
 */
export class SpoolReplayer {
  private readonly stopping = new AbortController();
  private wakeUp?: () => void;
  private running?: Promise<void>;

  constructor(
    private readonly spool: WebhookSpool,
    private readonly link: WebhookNatsLink,
    private readonly options: SpoolReplayerOptions,
  ) {}

  start(): void {
    this.spool.onAppended(() => this.wake());
    this.link.onStreamReady(() => this.wake());
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.running;
  }

  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let backoffMs = BACKOFF_MS.first;
    let persistedAt = Date.now();
    let replayed = 0;
    while (!this.stopping.signal.aborted) {
      const js = this.link.streamReady ? this.link.js : undefined;
      if (!js || this.spool.isEmpty) {
        if (replayed > 0) this.options.logger.log(`replayed ${replayed} spooled webhook(s) to JetStream`);
        replayed = 0;
        await this.persist();
        await this.sleep(this.options.idleCheckMs ?? IDLE_CHECK_MS);
        continue;
      }
      try {
        const entry = await this.spool.next();
        if (!entry) {
          await this.sleep(this.options.idleCheckMs ?? IDLE_CHECK_MS);
          continue;
        }
        const { webhook } = entry;
        await js.publish(webhook.subject, webhook.body, {
          msgID: webhook.msgId,
          headers: toNatsHeaders({ ...webhook.headers, [RAW_WEBHOOK_HEADERS.spooled]: 'true' }),
          timeout: this.options.publishTimeoutMs,
        });
        this.spool.advance(entry);
        spoolReplayed.inc();
        replayed += 1;
        backoffMs = BACKOFF_MS.first;
        if (Date.now() - persistedAt >= (this.options.persistEveryMs ?? 250)) {
          await this.persist();
          persistedAt = Date.now();
        }
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.options.logger.warn(`replaying the webhook spool paused (${(error as Error).message}); retrying in ${backoffMs} ms`);
        await this.persist();
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, BACKOFF_MS.max);
      }
    }
    await this.persist();
  }

  private async persist(): Promise<void> {
    await this.spool.persistCursor().catch((error: Error) => this.options.logger.warn(`cannot persist the webhook spool cursor: ${error.message}`));
  }

  /** Until `ms` passed or `wake()` was called (new records, the stream back, stop). */
  private sleep(ms: number): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
