import { setTimeout as delay } from 'node:timers/promises';
import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IDENTITY_RPC, IdentityEvents, Namespace, STREAMS } from '@parking/contracts';
import { connectNats, decodeEvent } from '@parking/messaging';
import type { RpcClient } from '@parking/messaging-nest';
import type { IntegrationDirectory } from './integration-directory';
import { IntegrationSpoolFile } from './integration-spool-file';

const RETRY_MS = { first: 500, max: 15_000 };
const PERSIST_DEBOUNCE_MS = 250;
export const INTEGRATION_EVENTS_FILTER = 'identity.webhook_integration.>';

/** Where the snapshot comes from: identity, through the gateway's RpcClient. */
export type SnapshotSource = Pick<RpcClient, 'call'>;

export interface FeedLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface IntegrationDirectoryFeedOptions {
  natsUrl: string;
  namespace: string;
  spoolDir: string;
  rpc: SnapshotSource;
  logger: FeedLogger;
  /** Per snapshot attempt (default: the RpcClient's). */
  snapshotTimeoutMs?: number;
}

/**
 * Fills the IntegrationDirectory and keeps it current, without ever blocking the gateway:
 *
 * 1. the spool file (last known content) is loaded at once, so webhooks are checked from the
 *    first request even if identity and NATS are down;
 * 2. an ordered consumer on IDENTITY follows `identity.webhook_integration.>`; it is started
 *    before the snapshot is asked for;
 * 3. identity's snapshot becomes the base as soon as it answers (retried in the background)
 *    and is written to the spool file; every later change is written again (debounced).
 *
 * Deliver policy ALL, not "from a start time shortly before the snapshot": a start time would
 * compare the gateway's clock with the NATS server's (skew loses events silently), and after
 * a boot from the spool file the gap to cover is unknown. Replaying the whole (small, filtered)
 * history is harmless: upserts carry a version and are dropped unless newer, deletes are final,
 * and the stream's order brings every integration to its latest state whatever the snapshot's
 * timing. When the ordered consumer has to be recreated from scratch, the same holds.
 */
export class IntegrationDirectoryFeed {
  private readonly stopping = new AbortController();
  private readonly spool: IntegrationSpoolFile;
  private nats?: NatsConnection;
  private messages?: ConsumerMessages;
  private consumerStarted!: () => void;
  private readonly consumerStartedOnce = new Promise<void>((resolve) => (this.consumerStarted = resolve));
  private persistTimer?: NodeJS.Timeout;
  private persisting: Promise<void> = Promise.resolve();
  private running: Promise<unknown>[] = [];
  private snapshotLoaded = false;

  constructor(
    private readonly directory: IntegrationDirectory,
    private readonly options: IntegrationDirectoryFeedOptions,
  ) {
    this.spool = new IntegrationSpoolFile(options.spoolDir);
  }

  /** True once identity's snapshot was applied in this process. */
  get hasSnapshot(): boolean {
    return this.snapshotLoaded;
  }

  /** Loads the spool file, then follows events and asks for the snapshot in the background. */
  async start(): Promise<void> {
    await this.loadSpoolFile();
    this.directory.onChange(() => this.schedulePersist());
    this.running = [this.follow(), this.loadSnapshot()];
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.messages?.close().catch(() => undefined);
    await this.nats?.close().catch(() => undefined);
    await Promise.allSettled(this.running);
    // A connection made while stopping (the first connect resolving late) is closed here.
    await this.nats?.close().catch(() => undefined);
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
      this.persist();
    }
    await this.persisting;
  }

  private async loadSpoolFile(): Promise<void> {
    try {
      const integrations = await this.spool.read();
      if (!integrations) return;
      this.directory.loadFromFile(integrations);
      this.options.logger.log(`loaded ${integrations.length} webhook integration(s) from ${this.spool.path}`);
    } catch (error) {
      this.options.logger.warn(`cannot read ${this.spool.path} (${(error as Error).message}); waiting for identity's snapshot`);
    }
  }

  private async loadSnapshot(): Promise<void> {
    await Promise.race([this.consumerStartedOnce, this.aborted()]);
    let waitMs = RETRY_MS.first;
    while (!this.stopping.signal.aborted) {
      try {
        const snapshot = await this.options.rpc.call(IDENTITY_RPC.integrationSnapshot, {}, {}, { timeoutMs: this.options.snapshotTimeoutMs });
        if (this.stopping.signal.aborted) return;
        this.directory.applySnapshot(snapshot.integrations);
        this.snapshotLoaded = true;
        this.options.logger.log(`webhook integrations snapshot taken at ${snapshot.takenAt}: ${snapshot.integrations.length} integration(s)`);
        if (this.persistTimer) clearTimeout(this.persistTimer);
        this.persistTimer = undefined;
        this.persist();
        await this.persisting;
        return;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.options.logger.warn(`webhook integrations snapshot failed (${(error as Error).message}); retrying in ${waitMs} ms`);
      }
      await delay(waitMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      waitMs = Math.min(waitMs * 2, RETRY_MS.max);
    }
  }

  private async follow(): Promise<void> {
    let waitMs = RETRY_MS.first;
    while (!this.stopping.signal.aborted) {
      try {
        await this.consume();
        waitMs = RETRY_MS.first;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.options.logger.warn(`webhook integration events interrupted (${(error as Error).message}); retrying in ${waitMs} ms`);
      }
      await delay(waitMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      waitMs = Math.min(waitMs * 2, RETRY_MS.max);
    }
  }

  private async consume(): Promise<void> {
    const namespace = new Namespace(this.options.namespace);
    // connectNats reconnects forever once connected; only the first connect can fail here.
    this.nats ??= await connectNats({ url: this.options.natsUrl, name: 'gateway-webhook-integrations' });
    if (this.stopping.signal.aborted) return;
    const consumer = await jetstream(this.nats).consumers.get(namespace.stream(STREAMS.IDENTITY.name), {
      filter_subjects: namespace.subject(INTEGRATION_EVENTS_FILTER),
      deliver_policy: DeliverPolicy.All,
    });
    this.messages = await consumer.consume();
    // stop() may have run while this was being set up: it could not close what did not exist yet.
    if (this.stopping.signal.aborted) {
      await this.messages.close();
      return;
    }
    this.consumerStarted();
    for await (const message of this.messages) this.apply(message);
  }

  private apply(message: JsMsg): void {
    const decoded = decodeEvent(message);
    if (!decoded.ok) {
      this.options.logger.warn(`ignoring a webhook integration event: ${decoded.reason}`);
      return;
    }
    const { envelope } = decoded;
    if (envelope.type === IdentityEvents.WEBHOOK_INTEGRATION_UPSERTED_V1) {
      this.directory.applyUpsert(envelope.data as IdentityEvents.WebhookIntegrationUpsertedV1Data);
    } else if (envelope.type === IdentityEvents.WEBHOOK_INTEGRATION_DELETED_V1) {
      this.directory.applyDelete((envelope.data as IdentityEvents.WebhookIntegrationDeletedV1Data).id);
    }
  }

  private schedulePersist(): void {
    if (this.persistTimer || this.stopping.signal.aborted) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.persist();
    }, PERSIST_DEBOUNCE_MS);
    this.persistTimer.unref();
  }

  /** One write at a time, each with the directory's content when it starts. */
  private persist(): void {
    this.persisting = this.persisting
      .then(() => this.spool.write(this.directory.entries()))
      .catch((error: Error) => this.options.logger.warn(`cannot write ${this.spool.path}: ${error.message}`));
  }

  private aborted(): Promise<void> {
    return new Promise((resolve) => this.stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}
