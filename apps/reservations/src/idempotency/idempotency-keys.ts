import { Inject, Injectable } from '@nestjs/common';
import type { RpcErrorPayload } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { DomainError } from '@parking/problem-details';
import { createHash } from 'node:crypto';

/** One request under an Idempotency-Key: the key is scoped to the tenant and the caller. */
export interface IdempotentRequest {
  tenantId: string;
  /** The principal's actor (`user:<id>`, `api-key:<id>`). */
  caller: string;
  key: string;
  /** What the key was used for (`create`, `extend:<id>`), part of the request's identity. */
  operation: string;
  /** The request as received, without the key: its hash tells a retry from another request. */
  body: unknown;
}

export interface IdempotentAnswer<T> {
  value: T;
  replayed: boolean;
}

/**
 * What a unit of work under a key comes to. A refusal is returned rather than thrown, so the
 * transaction that stored it as the key's answer commits; `settled` throws it afterwards.
 */
export type IdempotentOutcome<T> = IdempotentAnswer<T> | { refusal: DomainError; replayed: boolean };

/** The answer of a committed outcome, or its refusal thrown. */
export function settled<T>(outcome: IdempotentOutcome<T>): IdempotentAnswer<T> {
  if ('refusal' in outcome) throw outcome.refusal;
  return outcome;
}

interface StoredKey {
  operation: string;
  request_hash: string;
  status: number;
  response: { value?: unknown; error?: RpcErrorPayload };
  expired: boolean;
}

export const IDEMPOTENCY_OPTIONS = Symbol('IDEMPOTENCY_OPTIONS');
export interface IdempotencyOptions {
  /** How long a key's answer is kept (IDEMPOTENCY_KEY_TTL_HOURS, 24 h by default). */
  ttlMs: number;
}

/** JSON with sorted keys, so the same request hashes the same whatever its field order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(operation: string, body: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonical(body)).digest('base64url');
}

/**
 * Idempotency-Key handling as the IETF draft and Stripe describe it, inside the caller's unit
 * of work, so the key's answer commits with what it answers for:
 * - a key whose first request still runs answers 409 IDEMPOTENCY_KEY_IN_FLIGHT (a transaction
 *   lock on the key, released when that request commits or rolls back);
 * - a key seen with another request answers 422 IDEMPOTENCY_KEY_REUSED;
 * - a key seen with the same request answers the first answer again, a 4xx included;
 * - a 5xx or a timeout stores nothing (its outcome is unknown), so a retry runs again.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(@Inject(IDEMPOTENCY_OPTIONS) private readonly options: IdempotencyOptions) {}

  async run<T>(tx: TemplateSqlClient, request: IdempotentRequest, work: () => Promise<T>, successStatus = 200): Promise<IdempotentOutcome<T>> {
    const hash = requestHash(request.operation, request.body);
    const lockKey = `reservations.idempotency:${request.tenantId}:${request.caller}:${request.key}`;
    // One round trip: the lock on the key, and what the key already answered.
    const [{ locked, stored }] = await tx.$queryRaw<Array<{ locked: boolean; stored: StoredKey | null }>>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${lockKey}, 0)) AS locked,
             (SELECT json_build_object('operation', k.operation, 'request_hash', k.request_hash, 'status', k.status, 'response', k.response,
                                       'expired', k.expires_at <= now())
                FROM reservations.idempotency_keys k
               WHERE k.tenant_id = ${request.tenantId}::uuid AND k.caller = ${request.caller} AND k.key = ${request.key}) AS stored`;
    if (!locked) {
      throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry once it has answered.');
    }
    if (stored && !stored.expired) return this.replay<T>(stored, hash);
    if (stored) {
      await tx.$executeRaw`DELETE FROM reservations.idempotency_keys
                            WHERE tenant_id = ${request.tenantId}::uuid AND caller = ${request.caller} AND key = ${request.key}`;
    }

    // A refusal after some writes must undo them but still be stored as the key's answer.
    await tx.$executeRaw`SAVEPOINT idempotent_work`;
    let status: number;
    let response: StoredKey['response'];
    let outcome: { value: T } | { error: DomainError };
    try {
      const value = await work();
      status = successStatus;
      response = { value };
      outcome = { value };
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT idempotent_work`;
      status = error.status;
      response = { error: error.toRpcPayload() };
      outcome = { error };
    }
    await tx.$executeRaw`
      INSERT INTO reservations.idempotency_keys (tenant_id, caller, key, operation, request_hash, status, response, expires_at)
      VALUES (${request.tenantId}::uuid, ${request.caller}, ${request.key}, ${request.operation}, ${hash}, ${status}::int,
              ${JSON.stringify(response)}::jsonb, now() + make_interval(secs => ${this.options.ttlMs / 1000}::double precision))`;
    return 'error' in outcome ? { refusal: outcome.error, replayed: false } : { value: outcome.value, replayed: false };
  }

  private replay<T>(stored: StoredKey, hash: string): IdempotentOutcome<T> {
    if (stored.request_hash !== hash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        `This Idempotency-Key was first used for a different request${stored.operation === 'create' ? ' (another booking)' : ''}; use a new key for a new request.`,
      );
    }
    const { error, value } = stored.response;
    // The first refusal as it was: same code, detail and members.
    if (error) return { refusal: new DomainError(error.code, error.detail, error.extras, error.errors ? { errors: error.errors } : {}), replayed: true };
    return { value: value as T, replayed: true };
  }
}
