import { describeProblems, EventProblem } from '@parking/contracts';

/**
 * Thrown by a handler when retrying can never help (the event contradicts the data, or
 * refers to something that will never exist). The runner dead-letters and terms it.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/**
 * Documentary: any error that is not a PoisonMessageError is already treated as transient
 * (nak with backoff). Throw this to say so explicitly at the call site.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** An event whose data does not match its registered JSON Schema; nothing was sent. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';

  constructor(
    readonly eventType: string,
    readonly problems: EventProblem[],
  ) {
    super(`Refusing event ${eventType}: ${describeProblems(problems)}`);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
