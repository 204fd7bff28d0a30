/** How often a frame is sent before it goes to the dead letters, and how long to wait in between. */
export interface RetryPolicy {
  /** Sends in all, the first included (default 6: waits of 2, 4, 8, 16 and 32 s in between). */
  maxSends: number;
  /** The first wait; each next one doubles (default 2 s). */
  baseSeconds: number;
  /** Each wait is spread by up to this share either way, so signs that failed together retry apart (default 0.2). */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxSends: 6, baseSeconds: 2, jitter: 0.2 };

/**
 * When to send again after send number `sends` (1-based) went unconfirmed: the wait in
 * milliseconds, or null when that was the last send and the frame goes to the dead letters.
 * `random` is in [0, 1) (injected for tests).
 */
export function retryDelayMs(sends: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number | null {
  if (!Number.isInteger(sends) || sends < 1) throw new RangeError(`sends must be a positive integer, got ${sends}`);
  if (sends >= policy.maxSends) return null;
  const base = policy.baseSeconds * 1000 * 2 ** (sends - 1);
  return Math.round(base * (1 + policy.jitter * (2 * random() - 1)));
}
