import { setTimeout as delay } from 'node:timers/promises';

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Give up at once on errors that waiting will not cure (default: retry every error). */
  retryIf?: (error: unknown) => boolean;
}

/**
 * Polls `assertion` until it stops throwing and returns its value. On timeout the last
 * error is rethrown, its message saying how long it kept failing.
 */
export async function expectEventually<T>(assertion: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const { timeoutMs = 5_000, intervalMs = 25, retryIf = () => true } = options;
  const started = Date.now();
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      const elapsed = Date.now() - started;
      if (!retryIf(error)) throw error;
      if (elapsed >= timeoutMs) throw withElapsed(error, elapsed);
      await delay(Math.min(intervalMs, timeoutMs - elapsed));
    }
  }
}

function withElapsed(error: unknown, elapsedMs: number): unknown {
  const note = `(still failing after ${elapsedMs} ms)`;
  if (!(error instanceof Error)) return new Error(`${String(error)} ${note}`, { cause: error });
  const original = error.message;
  error.message = `${original} ${note}`;
  if (error.stack?.includes(original)) error.stack = error.stack.replace(original, error.message);
  return error;
}
