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

/**
 * How long after start a process may wait quietly (at debug) for what another service
 * provides (a stream, an RPC answer): the services of a platform start side by side, in any
 * order, and waiting for one another then is no reason to warn.
 */
export const START_UP_GRACE_MS = 30_000;

/** A retry's line: at debug while `startedAt` is within the grace, as a warning after it. */
export function logRetry(
  logger: { debug?(message: string): void; warn(message: string): void },
  startedAt: number,
  message: string,
  graceMs: number = START_UP_GRACE_MS,
): void {
  if (Date.now() - startedAt < graceMs) logger.debug?.(message);
  else logger.warn(message);
}
