import { DeliverPolicy } from '@nats-io/jetstream';
import { IDENTITY_RPC, IdentityEvents, STREAMS, type EventEnvelope } from '@parking/contracts';
import { EventFeed, logRetry, retryUntilStopped, type NatsAuth } from '@parking/messaging';
import type { RpcClient } from '@parking/messaging-nest';
import type { IntegrationDirectory } from './integration-directory';
import { IntegrationSpoolFile } from './integration-spool-file';

const PERSIST_DEBOUNCE_MS = 250;
export const INTEGRATION_EVENTS_FILTER = 'identity.webhook_integration.>';

/** Where the snapshot comes from: identity, through the gateway's RpcClient. */
export type SnapshotSource = Pick<RpcClient, 'call'>;

export interface FeedLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export interface IntegrationDirectoryFeedOptions {
  natsUrl: string;
  natsAuth?: NatsAuth;
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
  private readonly events: EventFeed;
  private following!: () => void;
  private readonly followingOnce = new Promise<void>((resolve) => (this.following = resolve));
  private persistTimer?: NodeJS.Timeout;
  private persisting: Promise<void> = Promise.resolve();
  private snapshotting: Promise<unknown> = Promise.resolve();
  private snapshotLoaded = false;

  constructor(
    private readonly directory: IntegrationDirectory,
    private readonly options: IntegrationDirectoryFeedOptions,
  ) {
    this.spool = new IntegrationSpoolFile(options.spoolDir);
    this.events = new EventFeed({
      natsUrl: options.natsUrl,
      natsAuth: options.natsAuth,
      connectionName: 'gateway-webhook-integrations',
      namespace: options.namespace,
      stream: STREAMS.IDENTITY.name,
      filter: INTEGRATION_EVENTS_FILTER,
      deliverPolicy: DeliverPolicy.All,
      label: 'webhook integration',
      logger: options.logger,
      onEvent: (envelope) => this.apply(envelope),
      onFollowing: () => this.following(),
    });
  }

  /** True once identity's snapshot was applied in this process. */
  get hasSnapshot(): boolean {
    return this.snapshotLoaded;
  }

  /** Loads the spool file, then follows events and asks for the snapshot in the background. */
  async start(): Promise<void> {
    await this.loadSpoolFile();
    this.directory.onChange(() => this.schedulePersist());
    this.events.start();
    this.snapshotting = this.loadSnapshot();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.events.stop();
    await this.snapshotting;
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
      this.options.logger.debug(`loaded ${integrations.length} webhook integration(s) from ${this.spool.path}`);
    } catch (error) {
      this.options.logger.warn(`cannot read ${this.spool.path} (${(error as Error).message}); waiting for identity's snapshot`);
    }
  }

  /** Once the events are followed (so none is missed), identity's snapshot, retried until it answers. */
  private async loadSnapshot(): Promise<void> {
    const { signal } = this.stopping;
    const startedAt = Date.now();
    await Promise.race([this.followingOnce, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    const snapshot = await retryUntilStopped(() => this.options.rpc.call(IDENTITY_RPC.integrationSnapshot, {}, {}, { timeoutMs: this.options.snapshotTimeoutMs }), {
      signal,
      // Identity may still be starting beside the gateway.
      onFailure: (error, nextMs) =>
        logRetry(this.options.logger, startedAt, `webhook integrations snapshot failed (${(error as Error).message}); retrying in ${Math.round(nextMs)} ms`),
    });
    if (!snapshot || signal.aborted) return;
    this.directory.applySnapshot(snapshot.integrations);
    this.snapshotLoaded = true;
    this.options.logger.debug(`webhook integrations snapshot taken at ${snapshot.takenAt}: ${snapshot.integrations.length} integration(s)`);
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.persist();
    await this.persisting;
  }

  private apply(envelope: EventEnvelope): void {
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
}
