import { isErrorCode } from '@parking/contracts';
import { DomainError, type FieldError } from '@parking/problem-details';
import { TimeoutError } from 'rxjs';

function isFieldError(value: unknown): value is FieldError {
  const { field, message } = (value ?? {}) as Record<string, unknown>;
  return typeof field === 'string' && typeof message === 'string';
}

/**
 * What a failed request/reply means to the caller, as a DomainError: the service's own
 * `{code, detail}`, a timeout, or nobody listening (`connectionLost`: the NATS connection went
 * down after the request was sent, so a timeout is UNAVAILABLE). Transport internals stay in `cause`.
 */
export function rpcFailure(subject: string, timeoutMs: number, error: unknown, context: { connectionLost?: boolean } = {}): DomainError {
  // The connection went down while the request waited: its answer cannot come, whatever the service did.
  if (error instanceof TimeoutError && context.connectionLost) {
    return new DomainError('UNAVAILABLE', `The connection to the service behind ${subject} was lost before it answered.`, undefined, { cause: error });
  }
  if (error instanceof TimeoutError) {
    return new DomainError('UPSTREAM_TIMEOUT', `${subject} did not answer within ${timeoutMs} ms.`, undefined, { cause: error });
  }
  if (error instanceof Error && error.constructor.name === 'EmptyResponseException') {
    return new DomainError('UNAVAILABLE', `No service answers ${subject} at the moment.`, undefined, { cause: error });
  }
  const { code, detail, errors, extras } = (error ?? {}) as Record<string, unknown>;
  if (isErrorCode(code) && typeof detail === 'string') {
    const fieldErrors = Array.isArray(errors) ? errors.filter(isFieldError) : [];
    const publicExtras = extras && typeof extras === 'object' && !Array.isArray(extras) ? (extras as Record<string, unknown>) : undefined;
    return new DomainError(code, detail, publicExtras, fieldErrors.length > 0 ? { errors: fieldErrors } : {});
  }
  // Nest's NATS client rejects with a string while its connection is down ("Connection lost. Trying to reconnect...").
  if (error instanceof Error || typeof error === 'string') {
    // Connection closed, no responders on a raw request, permissions: the service cannot be reached.
    return new DomainError('UNAVAILABLE', `The service behind ${subject} cannot be reached.`, undefined, { cause: error });
  }
  return new DomainError('INTERNAL', `${subject} failed with an unreadable error.`, undefined, { cause: error });
}
