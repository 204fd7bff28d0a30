const MAX_ADDRESSES = 100_000;

/**
 * Failed authentications per client address on the webhook routes, a token bucket per
 * address in this process: `perMinute` failures, refilled evenly over a minute. While an
 * address has none left, its requests that fail authentication are answered 429 at once,
 * without asking identity about an unknown token; requests with valid credentials from the
 * same address (ChirpStack sends every integration's webhooks from one) are served as before.
 */
export class AuthFailureLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Seconds until the address may fail again, or undefined while it may. */
  blocked(address: string): number | undefined {
    const bucket = this.refilled(address);
    if (!bucket || bucket.tokens >= 1) return undefined;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** Counts one failure of the address. */
  record(address: string): void {
    let bucket = this.refilled(address);
    if (!bucket) {
      // Map keeps insertion order: dropping the first entry drops the address seen longest ago.
      if (this.buckets.size >= MAX_ADDRESSES) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.perMinute, at: this.now() };
      this.buckets.set(address, bucket);
    }
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private refilled(address: string): { tokens: number; at: number } | undefined {
    const bucket = this.buckets.get(address);
    if (!bucket) return undefined;
    const now = this.now();
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (bucket.tokens >= this.perMinute) {
      this.buckets.delete(address);
      return undefined;
    }
    return bucket;
  }
}
