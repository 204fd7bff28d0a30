import { RESERVATIONS_RPC, type Principal } from '@parking/contracts';
import type { RpcClient } from '@parking/messaging-nest';
import type { Pool as PgPool } from 'pg';
import type { Pool } from 'undici';
import type { Answer, Send } from './booking-load';
import type { BookingRequest } from './contention';
import { BOOKING_PATH } from './platform';

const OVERLAP = 'RESERVATION_OVERLAP';

/** An HTTP status (and the problem's code, if any) as a booking answer. */
export function answerOfStatus(status: number, problemCode?: string): Answer {
  if (status === 201) return { kind: 'created' };
  if (status === 409 && problemCode === OVERLAP) return { kind: 'conflict' };
  return { kind: 'other', label: problemCode ? `${status} ${problemCode}` : String(status) };
}

/** The `code` of a problem+json body, if it is one. */
export function problemCode(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : undefined;
  } catch {
    return undefined;
  }
}

/** `POST /api/v1/reservations` through the gateway, with the API key and a fresh Idempotency-Key. */
export function gatewaySender(pool: Pool, origin: string, apiKey: string): Send<BookingRequest> {
  return async (request) => {
    try {
      const response = await pool.request({
        origin,
        path: BOOKING_PATH,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': request.idempotencyKey },
        body: JSON.stringify({ spaceId: request.spaceId, startTime: request.startTime, endTime: request.endTime }),
      });
      if (response.statusCode === 201) {
        await response.body.dump();
        return { kind: 'created' };
      }
      return answerOfStatus(response.statusCode, problemCode(await response.body.text()));
    } catch (error) {
      return { kind: 'other', label: `no answer (${(error as { code?: string }).code ?? (error as Error).name})` };
    }
  };
}

/** The same booking straight to the reservations service over NATS, as the gateway sends it (no HTTP, no gateway). */
export function rpcSender(rpc: RpcClient, principal: Principal): Send<BookingRequest> {
  return async (request) => {
    try {
      await rpc.call(
        RESERVATIONS_RPC.create,
        { spaceId: request.spaceId, startTime: request.startTime, endTime: request.endTime, idempotencyKey: request.idempotencyKey },
        { principal },
      );
      return { kind: 'created' };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return code === OVERLAP ? { kind: 'conflict' } : { kind: 'other', label: code ?? (error as Error).message.slice(0, 60) };
    }
  };
}

export const BARE_SCHEMA = 'bench_bare';
export const BARE_TABLE = `${BARE_SCHEMA}.reservations`;

/**
 * A copy of `reservations.reservations` with its columns, CHECKs, indexes and the same
 * EXCLUDE constraint (LIKE … INCLUDING ALL), without the service's row-level security.
 */
export const BARE_TABLE_DDL = `CREATE SCHEMA IF NOT EXISTS ${BARE_SCHEMA}; CREATE TABLE ${BARE_TABLE} (LIKE reservations.reservations INCLUDING ALL)`;

// One statement, autocommit: what the constraint alone costs, with the row the service writes.
const BARE_INSERT = `
  INSERT INTO ${BARE_TABLE} (id, tenant_id, site_id, space_id, period, state, created_by, check_in_opens_at, check_in_closes_at)
  VALUES (gen_random_uuid(), $1, $2, $3, tstzrange($4::timestamptz, $5::timestamptz, '[)'), 'confirmed', $6,
          $4::timestamptz - interval '15 minutes', least($5::timestamptz, $4::timestamptz + interval '15 minutes'))
  ON CONFLICT DO NOTHING
  RETURNING id`;

/** The bare `INSERT … ON CONFLICT DO NOTHING` against the same EXCLUDE constraint, over a pg Pool. */
export function bareInsertSender(pool: PgPool, tenantId: string, siteId: string): Send<BookingRequest> {
  return async (request) => {
    try {
      const { rowCount } = await pool.query(BARE_INSERT, [tenantId, siteId, request.spaceId, request.startTime, request.endTime, 'bench']);
      return rowCount === 1 ? { kind: 'created' } : { kind: 'conflict' };
    } catch (error) {
      return { kind: 'other', label: `SQL ${(error as { code?: string }).code ?? (error as Error).message.slice(0, 60)}` };
    }
  };
}
