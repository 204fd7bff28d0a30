import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_KEY_PATTERN } from '@parking/contracts';
import { DomainError, ValidationFailedError } from '@parking/problem-details';
import type { FastifyRequest } from 'fastify';

/** The header as the API documents it (HTTP reads header names in any case). */
export const IDEMPOTENCY_KEY_HEADER_NAME = 'Idempotency-Key';
/** Set on an answer that is the stored answer of an earlier request with the same key (as Stripe does). */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const IDEMPOTENCY_KEY_HINT = `must be 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters without spaces, e.g. a UUID`;

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= IDEMPOTENCY_KEY_MAX && IDEMPOTENCY_KEY_PATTERN.test(value);
}

/** 400 IDEMPOTENCY_KEY_MISSING; `alternative` names another way a route takes the key (the v6 `request_id`). */
export function idempotencyKeyMissing(alternative?: string): DomainError {
  return new DomainError(
    'IDEMPOTENCY_KEY_MISSING',
    `Send an ${IDEMPOTENCY_KEY_HEADER_NAME} header${alternative ? ` (or ${alternative})` : ''}: a fresh value, such as a UUID, for each new request, and the same value on its retries, so that a retry never books twice.`,
  );
}

/** The header's value if it was sent (checked), else undefined; sent twice, it arrives joined by ", " and is refused. */
export function sentIdempotencyKey(headers: FastifyRequest['headers']): string | undefined {
  const value = headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return undefined;
  if (!isIdempotencyKey(value)) throw new ValidationFailedError([{ field: IDEMPOTENCY_KEY_HEADER_NAME, message: `the ${IDEMPOTENCY_KEY_HEADER_NAME} header ${IDEMPOTENCY_KEY_HINT}` }]);
  return value;
}

const headersOf = (context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>().headers;

/** `@IdempotencyKey() key: string`: the required Idempotency-Key header. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const key = sentIdempotencyKey(headersOf(context));
  if (key === undefined) throw idempotencyKeyMissing();
  return key;
});

/** `@OptionalIdempotencyKey() key: string | undefined`: for a route that also takes the key elsewhere. */
export const OptionalIdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => sentIdempotencyKey(headersOf(context)));
