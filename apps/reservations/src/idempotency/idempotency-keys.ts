import { Inject, Injectable } from '@nestjs/common';
import type { RpcErrorPayload } from '@parking/contracts';
import type { RawSqlClient } from '@parking/database';
import { DomainError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';
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
  requestHash: string;
  status: number;
  response: { value?: unknown; error?: RpcErrorPayload };
}

/** What `reservations.claim_idempotency_key` says of a key: held by a request still running, answered before, or new. */
export interface KeyClaim {
  inFlight?: true;
  stored?: StoredKey;
}

/** A key as `reservations.store_idempotency_answer` and `reservations.book` take it. */
export interface KeyRecord {
  tenantId: string;
  caller: string;
  key: string;
  operation: string;
  requestHash: string;
  ttlSeconds: number;
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
 * The lock, the lookup and the store are the schema's functions, so a unit of work can claim
 * its key in the statement of its first read (`claimSql`) and store the answer in its last.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(@Inject(IDEMPOTENCY_OPTIONS) private readonly options: IdempotencyOptions) {}

  /** The key as the schema's functions take it, with the hash that tells a retry from another request. */
  record(request: IdempotentRequest): KeyRecord {
    return {
      tenantId: request.tenantId,
      caller: request.caller,
      key: request.key,
      operation: request.operation,
      requestHash: requestHash(request.operation, request.body),
      ttlSeconds: this.options.ttlMs / 1000,
    };
  }

  /** An expression that locks the key and reads its answer (a `KeyClaim`), to select with a unit of work's first read. */
  claimSql(key: KeyRecord): Prisma.Sql {
    return Prisma.sql`reservations.claim_idempotency_key(${key.tenantId}::uuid, ${key.caller}, ${key.key})`;
  }

  /**
   * What a claim leaves to do: null for a new key (the work runs), else the first answer again.
   * A key in flight or used for another request is refused.
   */
  replayOf<T>(claim: KeyClaim, key: KeyRecord): IdempotentOutcome<T> | null {
    if (claim.inFlight) {
      throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry once it has answered.');
    }
    const stored = claim.stored;
    if (!stored) return null;
    if (stored.requestHash !== key.requestHash) {
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

  /** Stores a refusal as the key's answer and commits; the unit of work must have written nothing else. */
  async refuse(tx: RawSqlClient, key: KeyRecord, refusal: DomainError): Promise<IdempotentOutcome<never>> {
    await this.store(tx, key, refusal.status, { error: refusal.toRpcPayload() });
    return { refusal, replayed: false };
  }

  /** Whether an error is a refusal to store as the key's answer (not a 5xx, whose outcome is unknown). */
  isRefusal(error: unknown): error is DomainError {
    return error instanceof DomainError && error.status < 500;
  }

  /**
   * Runs `work` under the key: the first answer again for a retry, else the work's answer (or
   * its refusal, its writes undone) stored with the commit. For work that may refuse after writing.
   */
  async run<T>(tx: RawSqlClient, request: IdempotentRequest, work: () => Promise<T>, successStatus = 200): Promise<IdempotentOutcome<T>> {
    const key = this.record(request);
    const [{ claim }] = await tx.$queryRaw<Array<{ claim: KeyClaim }>>`SELECT ${this.claimSql(key)} AS claim`;
    const replay = this.replayOf<T>(claim, key);
    if (replay) return replay;
    // A refusal after some writes must undo them but still be stored as the key's answer.
    await tx.$executeRaw`SAVEPOINT idempotent_work`;
    let value: T;
    try {
      value = await work();
    } catch (error) {
      if (!this.isRefusal(error)) throw error;
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT idempotent_work`;
      return this.refuse(tx, key, error);
    }
    await this.store(tx, key, successStatus, { value });
    return { value, replayed: false };
  }

  /** Stores the key's answer and commits in the same round trip: the unit of work ends here. */
  private async store(tx: RawSqlClient, key: KeyRecord, status: number, response: StoredKey['response']): Promise<void> {
    await tx.$queryRawAndCommit`SELECT reservations.store_idempotency_answer(${JSON.stringify(key)}::jsonb, ${status}::int, ${JSON.stringify(response)}::jsonb)`;
  }
}
