import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/nats-core';
import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { MessagingLogger } from './logger';
import { logRetry, START_UP_GRACE_MS } from './retry-until-stopped';

/** JetStream's "system temporarily unavailable": a cluster electing its meta or stream leader. */
const JETSTREAM_UNAVAILABLE = 10008;

/**
 * NATS failures that pass by themselves: a request that timed out, no responder yet (JetStream
 * not ready), JetStream temporarily unavailable or answering 503. Anything else (a permission
 * violation, a bad configuration) would fail the same way again.
 */
export function isTransientNatsError(error: unknown): boolean {
  if (error instanceof errors.TimeoutError || error instanceof errors.NoRespondersError) return true;
  if (error instanceof errors.RequestError) return error.isNoResponders() || error.cause instanceof errors.TimeoutError;
  if (error instanceof JetStreamApiError) return error.code === JETSTREAM_UNAVAILABLE || error.status === 503;
  return false;
}

export interface RetryTransientOptions {
  /** What is being done, for the log line of each retry. */
  what: string;
  logger: { debug?(message: string): void; warn(message: string): void };
  /** How long to keep trying (a minute by default), from the first attempt. */
  deadlineMs?: number;
  firstDelayMs?: number;
}

/**
 * Runs `attempt` again after a passing NATS failure (isTransientNatsError), waiting longer each
 * time, until it succeeds or `deadlineMs` has passed; then, or at any other error, it fails with
 * that error. For what a service does on NATS as it starts, while a cluster may still be forming.
 */
export async function retryTransient<T>(attempt: () => Promise<T>, options: RetryTransientOptions): Promise<T> {
  const startedAt = Date.now();
  const deadline = startedAt + (options.deadlineMs ?? 2 * START_UP_GRACE_MS);
  const policy = retry(
    handleWhen((error) => isTransientNatsError(error) && Date.now() < deadline),
    { maxAttempts: Number.POSITIVE_INFINITY, backoff: new ExponentialBackoff({ initialDelay: options.firstDelayMs ?? 250, maxDelay: 5_000 }) },
  );
  const listener = policy.onRetry((event) => {
    if ('error' in event) logRetry(options.logger, startedAt, `${options.what} failed (${(event.error as Error).message}); trying again in ${Math.round(event.delay)} ms`);
  });
  try {
    return await policy.execute(() => attempt());
  } finally {
    listener.dispose();
  }
}

/** A messaging logger as retryTransient's line-per-retry logger. */
export function retryLoggerOf(logger: MessagingLogger): RetryTransientOptions['logger'] {
  return { debug: (message) => logger.debug({}, message), warn: (message) => logger.warn({}, message) };
}
