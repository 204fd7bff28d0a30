import type Redis from 'ioredis';

export const QUOTA_WINDOW_MS = 60_000;

export type QuotaAnswer = { ok: true } | { ok: false; limit: number; retryAfterSeconds: number };

/** One process's share of a key's budget in one window. */
interface Lease {
  window: number;
  /** The limit the lease was taken under: a changed plan asks the counter again. */
  limit: number;
  left: number;
  /** The counter has nothing left for this window. */
  exhausted: boolean;
  pending?: Promise<void>;
}

export interface WebhookQuotaOptions {
  /** Shared counters (REDIS_URL); without it each process counts alone. */
  redis?: Redis;
  keyPrefix: string;
  now?: () => number;
  warn?: (message: string) => void;
}

const OK: QuotaAnswer = Object.freeze({ ok: true });
const WARN_EVERY_MS = 10_000;

/**
 * Grants up to ARGV[2] of the window's budget ARGV[1] and counts them: the number granted, 0
 * when nothing is left. KEYS[1] is the key of one window; it expires after ARGV[3] ms.
 */
const GRANT_LUA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.min(tonumber(ARGV[2]), tonumber(ARGV[1]) - used)
if grant <= 0 then return 0 end
redis.call('INCRBY', KEYS[1], grant)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return grant
`;

type RedisWithGrant = Redis & { parkingWebhookQuota(key: string, limit: number, want: number, ttlMs: number): Promise<number> };

/**
 * Webhooks per minute per tenant (its plan's `webhooksPerMinute`), in fixed minute windows.
 *
 * With Redis, every gateway replica draws from one counter per tenant and window, but not once
 * per webhook: a replica leases a slice of the budget (a fiftieth of the limit, at most 1,000)
 * in one round trip and spends it from memory, so a webhook waits for Redis only when its
 * replica's slice runs out. The replicas together never exceed the limit; what a replica leased
 * and did not spend is lost for that window. While Redis does not answer, each replica counts
 * alone (an outage of the counters must not become an outage of the webhooks).
 */
export class WebhookQuota {
  private readonly leases = new Map<string, Lease>();
  /** Per-process counters: the whole store without Redis, the fallback while it is away. */
  private readonly local = new Map<string, { window: number; used: number }>();
  private readonly now: () => number;
  private lastWarnAt = 0;

  constructor(private readonly options: WebhookQuotaOptions) {
    this.now = options.now ?? Date.now;
    if (options.redis && !(options.redis as unknown as Partial<RedisWithGrant>).parkingWebhookQuota) {
      options.redis.defineCommand('parkingWebhookQuota', { numberOfKeys: 1, lua: GRANT_LUA });
    }
  }

  /** Takes one webhook of `key`'s budget (`perMinute`, null: unlimited); answers at once unless a new lease is needed. */
  take(key: string, perMinute: number | null): QuotaAnswer | Promise<QuotaAnswer> {
    if (perMinute === null) return OK;
    const now = this.now();
    const window = Math.floor(now / QUOTA_WINDOW_MS);
    let lease = this.leases.get(key);
    if (!lease || lease.window !== window) {
      lease = { window, limit: perMinute, left: 0, exhausted: false };
      this.leases.set(key, lease);
    } else if (lease.limit !== perMinute) {
      // The plan changed: what this process holds goes back (counted alone) or is dropped (Redis counted it), and the counter decides anew.
      const counter = this.local.get(key);
      if (!this.options.redis && counter?.window === window) counter.used -= lease.left;
      lease.limit = perMinute;
      lease.left = 0;
      lease.exhausted = false;
    }
    if (lease.left > 0) {
      lease.left -= 1;
      return OK;
    }
    if (lease.exhausted) return { ok: false, limit: perMinute, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * QUOTA_WINDOW_MS - now) / 1000)) };
    if (!this.options.redis) {
      this.grantLocally(key, lease, perMinute, perMinute);
      return this.take(key, perMinute);
    }
    const current = lease;
    current.pending ??= this.lease(key, current, perMinute).finally(() => (current.pending = undefined));
    return current.pending.then(() => this.take(key, perMinute));
  }

  private async lease(key: string, lease: Lease, perMinute: number): Promise<void> {
    const want = Math.max(1, Math.min(1_000, Math.ceil(perMinute / 50)));
    try {
      const redis = this.options.redis as unknown as RedisWithGrant;
      const granted = Number(await redis.parkingWebhookQuota(`${this.options.keyPrefix}webhooks:${key}:${lease.window}`, perMinute, want, 2 * QUOTA_WINDOW_MS));
      if (lease.window !== Math.floor(this.now() / QUOTA_WINDOW_MS)) return; // too late for its window; take() starts the next one
      if (granted > 0) lease.left += granted;
      else lease.exhausted = true;
    } catch (error) {
      this.warnSometimes(`webhook quota counters unreachable (${(error as Error).message}); counting in this process until Redis answers`);
      this.grantLocally(key, lease, perMinute, want);
    }
  }

  private grantLocally(key: string, lease: Lease, perMinute: number, want: number): void {
    let counter = this.local.get(key);
    if (!counter || counter.window !== lease.window) {
      counter = { window: lease.window, used: 0 };
      this.local.set(key, counter);
    }
    const granted = Math.max(0, Math.min(want, perMinute - counter.used));
    counter.used += granted;
    if (granted > 0) lease.left += granted;
    else lease.exhausted = true;
  }

  private warnSometimes(message: string): void {
    const now = this.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.options.warn?.(message);
  }
}
