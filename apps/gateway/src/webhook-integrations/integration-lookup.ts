import { IDENTITY_RPC } from '@parking/contracts';
import type { RpcClient } from '@parking/messaging-nest';
import { RefusalCache } from '../http-edge/refusal-cache';
import type { IntegrationDirectory } from './integration-directory';

/** What a webhook names that the directory does not hold: its token's prefix, or its integration id (signed). */
export type IntegrationLookupKey = { tokenPrefix: string } | { integrationId: string };

export interface IntegrationLookupOptions {
  /** How long "identity does not know it either" is remembered. */
  refusalTtlMs: number;
  /** Per question (default: the RpcClient's). */
  timeoutMs?: number;
  /** Questions under way at once; beyond, an unknown integration is refused without asking. */
  maxInFlight?: number;
  warn?: (message: string) => void;
}

const WARN_EVERY_MS = 10_000;

/**
 * Before a webhook is refused for naming an integration this process has not heard of, identity
 * is asked once: an integration created a moment ago is then known at once on every replica, not
 * only once identity's upserted event arrives. The answer goes into the directory like the event
 * would (by version); a refusal is remembered briefly, questions for the same key share one
 * answer, and only so many are asked at a time, so senders of made-up tokens cost identity little
 * (the routes also stop asking for an address past its failed authentications).
 */
export class IntegrationLookup {
  private readonly refused: RefusalCache;
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private lastWarnAt = 0;

  constructor(
    private readonly rpc: Pick<RpcClient, 'call'>,
    private readonly directory: IntegrationDirectory,
    private readonly options: IntegrationLookupOptions,
  ) {
    this.refused = new RefusalCache(options.refusalTtlMs);
  }

  /** True when the directory now holds the integration (check the credentials again). */
  find(key: IntegrationLookupKey): Promise<boolean> {
    const id = 'tokenPrefix' in key ? `prefix:${key.tokenPrefix}` : `id:${key.integrationId}`;
    if (this.refused.has(id)) return Promise.resolve(false);
    const pending = this.inFlight.get(id);
    if (pending) return pending;
    if (this.inFlight.size >= (this.options.maxInFlight ?? 32)) return Promise.resolve(false);
    const asked = this.ask(id, key).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, asked);
    return asked;
  }

  private async ask(id: string, key: IntegrationLookupKey): Promise<boolean> {
    try {
      const { integration } = await this.rpc.call(IDENTITY_RPC.lookupIntegration, key, {}, { timeoutMs: this.options.timeoutMs });
      if (integration && this.directory.applyUpsert(integration) !== 'deleted-before') return true;
    } catch (error) {
      const now = Date.now();
      if (now - this.lastWarnAt >= WARN_EVERY_MS) {
        this.lastWarnAt = now;
        this.options.warn?.(`cannot ask identity about an unknown webhook integration (${(error as Error).message}); refusing it`);
      }
    }
    this.refused.add(id);
    return false;
  }
}
