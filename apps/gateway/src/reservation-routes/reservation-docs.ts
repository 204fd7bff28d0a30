import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_KEY_PATTERN, ReservationView } from '@parking/contracts';
import { IDEMPOTENCY_KEY_HEADER_NAME, IDEMPOTENCY_KEY_HINT, IDEMPOTENT_REPLAYED_HEADER, idempotencyKeyMissing } from '../http-params/idempotency-key';
import type { RouteProblem } from '../openapi/api-docs.decorators';

/** The OpenAPI pieces the reservation routes share: path parameters, the Idempotency-Key, and their problems. */

const BOOKING_ID = '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d';
const INSTANCE = '/api/v1/reservations';

export const RESERVATION_ID_PARAM = { name: 'id', format: 'uuid', example: BOOKING_ID, description: 'The reservation' } as const;
export const TARIFF_ID_PARAM = { name: 'id', format: 'uuid', example: '9a3c1d4e-5f60-4a7b-8c9d-1e2f3a4b5c6d', description: 'The tariff' } as const;

/** Who may book, and who may read: `reservations:own` keys only reach the bookings they made. */
export const BOOKING_PERMISSIONS = '`reservations:write`, or `reservations:own` for the bookings the caller made (another booking is then 404)';
export const READING_PERMISSIONS = '`reservations:read`, or `reservations:own` for the bookings the caller made';

/** The Idempotency-Key request header; `alternative` names another way the route takes it. */
export const ApiIdempotencyKeyHeader = (options: { required: boolean; alternative?: string }) =>
  ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER_NAME,
    required: options.required,
    description:
      `A value of your choosing, such as a UUID, new for each request and the same on its retries: a retry then gets the first answer (with \`${IDEMPOTENT_REPLAYED_HEADER}: true\`) instead of booking twice. ` +
      `Kept 24 hours per caller; reused with a different request it is 422 IDEMPOTENCY_KEY_REUSED.${options.alternative ? ` ${options.alternative}` : ''}`,
    schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX, pattern: IDEMPOTENCY_KEY_PATTERN.source, example: '9f6d0e0e-56b1-4c62-9a5b-0d0e7a0d4c1e' },
  });

/** The success answer of a command under an Idempotency-Key: the reservation, marked when replayed. */
export const ApiIdempotentReservation = (status: 200 | 201, description?: string) =>
  applyDecorators(
    ApiResponse({
      status,
      type: ReservationView,
      description: description ?? (status === 201 ? 'The reservation made' : 'The reservation as it is now'),
      headers: {
        [IDEMPOTENT_REPLAYED_HEADER]: {
          description: 'true when this is the stored answer of an earlier request with the same Idempotency-Key (nothing was done again); absent otherwise',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    }),
  );

const problem = (code: RouteProblem['code'], when: string, detail: string, extras?: Record<string, unknown>, instance = INSTANCE): RouteProblem => ({ code, when, detail, instance, extras });

export const RESERVATION_NOT_FOUND = problem('NOT_FOUND', 'No such reservation in the caller’s tenant (for `reservations:own`: none the caller made)', `Reservation "${BOOKING_ID}" does not exist.`);
export const SPACE_NOT_FOUND = problem('NOT_FOUND', 'No such space in the caller’s tenant', `Space "${BOOKING_ID}" does not exist.`);
export const SPACE_OR_ZONE_NOT_FOUND = problem('NOT_FOUND', 'No such space or zone in the caller’s tenant', `Space "${BOOKING_ID}" does not exist.`);
export const SITE_NOT_FOUND = problem('NOT_FOUND', 'No such site in the caller’s tenant', 'Site "0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10" does not exist.');
export const TARIFF_NOT_FOUND = problem('NOT_FOUND', 'No such tariff in the caller’s tenant', `Tariff "${TARIFF_ID_PARAM.example}" does not exist.`, undefined, '/api/v1/tariffs');

export const KEY_MISSING = problem('IDEMPOTENCY_KEY_MISSING', 'No Idempotency-Key header', idempotencyKeyMissing().detail);
export const KEY_MALFORMED = problem('VALIDATION_FAILED', 'The Idempotency-Key header is malformed', `The request has 1 invalid field: ${IDEMPOTENCY_KEY_HEADER_NAME}.`, {
  errors: [{ field: IDEMPOTENCY_KEY_HEADER_NAME, message: `the ${IDEMPOTENCY_KEY_HEADER_NAME} header ${IDEMPOTENCY_KEY_HINT}` }],
});
export const KEY_IN_FLIGHT = problem('IDEMPOTENCY_KEY_IN_FLIGHT', 'The first request with this Idempotency-Key is still running: retry once it has answered', 'A request with this Idempotency-Key is still being processed; retry once it has answered.');
export const KEY_REUSED = problem('IDEMPOTENCY_KEY_REUSED', 'The Idempotency-Key came with a different request before', 'This Idempotency-Key was first used for a different request (another booking); use a new key for a new request.');

export const OVERLAP = problem(
  'RESERVATION_OVERLAP',
  'The space is booked for part of the window; the answer names the taken windows, never whose they are',
  'The space is already booked from 2026-12-24T11:00:00.000Z–2026-12-24T13:00:00.000Z; choose another window or space (GET /api/v1/availability).',
  { conflicts: [{ startTime: '2026-12-24T11:00:00.000Z', endTime: '2026-12-24T13:00:00.000Z' }] },
);
export const NO_SPACE = problem(
  'NO_SPACE_AVAILABLE',
  'A zone booking found no space of the zone (and type) free for the whole window',
  `No space of type ev in zone ${BOOKING_ID} is free for the whole window; search GET /api/v1/availability for another window or zone.`,
);
export const RULE_VIOLATED = problem(
  'RESERVATION_RULE_VIOLATED',
  "The window breaks one of the site's booking rules (`rule`: window, inPast, minDuration, maxDuration, maxAdvance, openingHours)",
  'the booking lasts 20 minutes; book at least 30 minutes: end at 2026-12-24 10:30 or later',
  { rule: 'minDuration', errors: [{ field: 'endTime', message: 'the booking lasts 20 minutes; book at least 30 minutes: end at 2026-12-24 10:30 or later' }] },
);
export const QUOTE_NOT_APPLICABLE = problem(
  'QUOTE_NOT_APPLICABLE',
  'The quote named has expired, or was made for another space, zone or window',
  'Quote 7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f has expired; ask GET /api/v1/quotes for a new one.',
  { errors: [{ field: 'quoteId', message: 'has expired' }] },
);
export const BOOKING_LIMIT = problem(
  'LIMIT_EXCEEDED',
  "The tenant's plan allows no more reservations this month (or the caller lacks the permission)",
  "The tenant's plan allows 500 reservations a month, and they are used up for 2026-12; wait for next month or ask for a larger plan.",
  { limit: 'reservationsPerMonth', max: 500, errors: [{ field: 'limits.reservationsPerMonth', message: 'at most 500' }] },
);
export const VERSION_CONFLICT = problem('CONFLICT', 'The version given is not the current one', 'The reservation is at version 3, not 2; read it again and retry.', { version: 3 });
export const STATE_CONFLICT = (action: string, states: string) =>
  problem('CONFLICT', `The reservation's state does not allow it (${states} only), or the version given is not the current one`, `The reservation is completed; only ${states} reservations can be ${action}.`, { state: 'completed' });
