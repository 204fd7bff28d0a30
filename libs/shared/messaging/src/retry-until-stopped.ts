import { ExponentialBackoff, handleAll, retry } from 'cockatiel';

export interface RetryUntilStoppedOptions {
  /** Aborting it ends the retries, and the wait between two. */
  signal: AbortSignal;
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Told of every failure with the wait before the next attempt. */
  onFailure(error: unknown, nextDelayMs: number): void;
}

/**
 * Runs `attempt` until it succeeds or `signal` aborts, waiting longer after each failure
 * (exponential, with jitter, at most `maxDelayMs`). Resolves undefined when stopped first.
 */
export async function retryUntilStopped<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RetryUntilStoppedOptions): Promise<T | undefined> {
  const policy = retry(handleAll, {
    maxAttempts: Number.POSITIVE_INFINITY,
    backoff: new ExponentialBackoff({ initialDelay: options.firstDelayMs ?? 500, maxDelay: options.maxDelayMs ?? 15_000 }),
  });
  const listener = policy.onRetry((event) => {
    if ('error' in event && !options.signal.aborted) options.onFailure(event.error, event.delay);
  });
  try {
    return await policy.execute(({ signal }) => attempt(signal), options.signal);
  } catch (error) {
    if (options.signal.aborted) return undefined;
    throw error;
  } finally {
    listener.dispose();
  }
}
