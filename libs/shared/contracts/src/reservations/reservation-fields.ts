import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';
import { Each, presence } from '../fields/compose';
import { EMAIL_MAX } from '../identity/identity-fields';
import { PageQueryOf } from '../fields/paging';
import { isUuid, UUID_EXAMPLE, UUID_HINT } from '../fields/identifiers';
import { LowerCase, TextField } from '../fields/text';
import { instantHint, isInstant } from '../fields/time-range';

/** The vocabulary of reservations, shared by the gateway's checks and the service's. */

export const RESERVATION_STATES = ['confirmed', 'checked_in', 'completed', 'cancelled', 'no_show', 'expired'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];
/** States that hold the space: only these take part in the no-overlap rule. */
export const ACTIVE_RESERVATION_STATES: readonly ReservationState[] = ['confirmed', 'checked_in'];

export const RESERVATION_PAGE_MAX = 200;
export const RESERVATION_PAGE_DEFAULT = 50;
export class ReservationPageQuery extends PageQueryOf(RESERVATION_PAGE_MAX, RESERVATION_PAGE_DEFAULT) {}

/** Longest window one booking, availability search or quote may cover. */
export const RESERVATION_WINDOW_MAX_DAYS = 31;
/** An Idempotency-Key (or a v6 `request_id`): printable ASCII, as the IETF draft and Stripe take it. */
export const IDEMPOTENCY_KEY_MAX = 255;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]+$/;
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export const VehiclePlateField = () =>
  TextField({ presence: 'nullable', max: 16, pattern: /^[A-Za-z0-9][A-Za-z0-9 .-]*$/, hint: 'must be letters, digits, spaces, "." or "-" (at most 16)', doc: { example: 'B-PK 2041' } });
export const ExternalRefField = () => TextField({ presence: 'nullable', max: 128, doc: { example: 'order-88121', description: "The caller's own reference" } });
/** The driver's email, to tell them about their booking; compared lower case. */
export const DriverEmailField = () =>
  Each(ApiPropertyOptional({ type: 'string', nullable: true, example: 'driver@example.com', maxLength: EMAIL_MAX }), LowerCase(), presence('nullable', IsEmail(), MaxLength(EMAIL_MAX)));
export const ReasonField = () => TextField({ presence: 'optional', max: 500, doc: { example: 'Plans changed' } });
export const IdempotencyKeyField = () =>
  TextField({ max: IDEMPOTENCY_KEY_MAX, trim: false, pattern: IDEMPOTENCY_KEY_PATTERN, hint: 'must be 1 to 255 printable ASCII characters without spaces', doc: { example: '9f6d0e0e-56b1-4c62-9a5b-0d0e7a0d4c1e' } });

const WINDOW_HINT = `must be later than the start, at most ${RESERVATION_WINDOW_MAX_DAYS} days after it`;

function windowProblem(end: unknown, start: unknown, field: string): string | undefined {
  if (!isInstant(end)) return instantHint(field, '2026-12-24T12:00:00Z');
  if (!isInstant(start)) return undefined;
  const span = Date.parse(end) - Date.parse(start);
  if (span <= 0 || span > RESERVATION_WINDOW_MAX_DAYS * 86_400_000) return `${field} ${WINDOW_HINT}`;
  return undefined;
}

/** The start of a window: a required RFC 3339 instant. */
export function WindowStartField(doc: { example: string; description: string }): PropertyDecorator {
  return Each(
    ApiPropertyOptional({ type: 'string', format: 'date-time', ...doc }),
    IsNotEmpty({ message: '$property is required' }),
    ValidateBy({ name: 'isInstant', validator: { validate: isInstant, defaultMessage: (args?: ValidationArguments) => instantHint(args?.property ?? 'start', doc.example) } }),
  );
}

/** The end of a window (exclusive), after `startField` and at most RESERVATION_WINDOW_MAX_DAYS later. */
export function WindowEndField(startField: string, doc: { example: string; description: string }, optional = false): PropertyDecorator {
  return Each(
    ApiPropertyOptional({ type: 'string', format: 'date-time', ...doc }),
    ...(optional ? [IsOptional()] : [IsNotEmpty({ message: '$property is required' })]),
    ValidateBy({
      name: 'windowEnd',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => windowProblem(value, (args?.object as Record<string, unknown>)[startField], args?.property ?? 'end') === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          windowProblem(args?.value, (args?.object as Record<string, unknown>)[startField], args?.property ?? 'end') ?? `$property ${WINDOW_HINT}`,
      },
    }),
  );
}

/**
 * The first of two alternative ids (`spaceId` or `zoneId`, `siteId` or `zoneId`): exactly one
 * of them must be given. Validated even when absent, so the rule is reported once, on it.
 */
export function OneIdOfField(other: string, doc: { description: string; meaning: string; otherMeaning: string }): PropertyDecorator {
  const problem = (value: unknown, property: string, object: Record<string, unknown>): string | undefined => {
    const hasOther = object[other] !== undefined && object[other] !== null;
    if (value === undefined || value === null) return hasOther ? undefined : `give ${property} (${doc.meaning}) or ${other} (${doc.otherMeaning})`;
    if (hasOther) return `give ${property} or ${other}, not both`;
    return isUuid(value) ? undefined : `${property} ${UUID_HINT}`;
  };
  return Each(
    ApiPropertyOptional({ type: 'string', format: 'uuid', example: UUID_EXAMPLE, description: doc.description }),
    LowerCase(),
    ValidateBy({
      name: 'oneIdOf',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => problem(value, args?.property ?? '', args?.object as Record<string, unknown>) === undefined,
        defaultMessage: (args?: ValidationArguments) => problem(args?.value, args?.property ?? '', args?.object as Record<string, unknown>) ?? `give $property or ${other}`,
      },
    }),
  );
}

/** `spaceId` of a request that takes a space or any space of a zone. */
export const SpaceOrZoneIdField = (description: string) =>
  OneIdOfField('zoneId', { description, meaning: 'that space', otherMeaning: 'any free space in that zone' });
