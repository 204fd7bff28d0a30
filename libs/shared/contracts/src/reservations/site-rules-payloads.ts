import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { Each, NullOrAbsentOr } from '../fields/compose';
import { OneOf } from '../occupancy/occupancy-fields';
import { IntegerField, MINOR_UNITS_MAX } from './tariff-payloads';

/**
 * How a site takes reservations: the tax in its prices, when a driver may check in, what a
 * cancellation costs and which windows may be booked. Percentages have at most two decimals
 * (19, 7.7, 8.25) so that they are exact in basis points.
 */

export const TAX_MODES = ['included', 'added'] as const;
/** `included`: the tariff's prices are gross; `added`: they are net and tax comes on top. */
export type TaxMode = (typeof TAX_MODES)[number];

export const CHECK_IN_WINDOW_DEFAULT_MINUTES = 15;
export const CHECK_IN_WINDOW_MAX_MINUTES = 720;
export const NO_SHOW_GRACE_MAX_MINUTES = 1440;
/** Free cancellation reaches at most 30 days before the start. */
export const FREE_CANCELLATION_MAX_MINUTES = 30 * 1440;
/** Booking rules: durations up to 366 days, bookings up to two years ahead. */
export const BOOKING_DURATION_MAX_MINUTES = 366 * 1440;
export const BOOKING_ADVANCE_MAX_DAYS = 730;

/** A percentage of 0 to 100 with at most two decimals. */
export function isPercent(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100 && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6;
}

const PercentField = (doc: { example: number; description: string }, optional: boolean) =>
  Each(
    optional ? ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 100, multipleOf: 0.01, ...doc }) : ApiProperty({ type: 'number', minimum: 0, maximum: 100, multipleOf: 0.01, ...doc }),
    ...(optional ? [IsOptional()] : []),
    ValidateBy({ name: 'isPercent', validator: { validate: isPercent, defaultMessage: () => '$property must be a percentage of 0 to 100 with at most two decimals, e.g. 19 or 7.7' } }),
  );

// ---------------------------------------------------------------------------------------
// Parts
// ---------------------------------------------------------------------------------------

/** Around a booking's start: from `beforeMinutes` before it until `afterMinutes` after it. */
export class CheckInWindowInput {
  @IntegerField({
    presence: 'optional',
    min: 0,
    max: CHECK_IN_WINDOW_MAX_MINUTES,
    unit: 'minutes',
    doc: { example: 15, default: CHECK_IN_WINDOW_DEFAULT_MINUTES, description: 'A driver may arrive this long before the start' },
  })
  beforeMinutes?: number;

  @IntegerField({
    presence: 'optional',
    min: 0,
    max: CHECK_IN_WINDOW_MAX_MINUTES,
    unit: 'minutes',
    doc: { example: 15, default: CHECK_IN_WINDOW_DEFAULT_MINUTES, description: 'A driver may arrive this long after the start' },
  })
  afterMinutes?: number;
}

type FeeShape = { fixed?: unknown; percentOfPrice?: unknown };
const given = (value: unknown) => value !== undefined && value !== null;

/** Exactly one of the two, reported once, on `fixed`. */
function feeProblem(fee: FeeShape): string | undefined {
  if (given(fee.fixed) && given(fee.percentOfPrice)) return 'fee takes fixed or percentOfPrice, not both';
  if (!given(fee.fixed) && !given(fee.percentOfPrice)) return 'fee needs fixed (minor units, e.g. 300) or percentOfPrice (e.g. 50)';
  if (given(fee.fixed) && !(Number.isInteger(fee.fixed) && (fee.fixed as number) >= 0 && (fee.fixed as number) <= MINOR_UNITS_MAX)) {
    return `fixed must be a whole number of the currency's minor unit (cents), 0 to ${MINOR_UNITS_MAX}`;
  }
  return undefined;
}

/** `{"fixed": 300}` or `{"percentOfPrice": 50}`; never more than the booking's price. */
export class CancellationFeeInput {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MINOR_UNITS_MAX, example: 300, description: "Minor units, at most the booking's price; or give percentOfPrice" })
  @ValidateBy({
    name: 'cancellationFee',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => feeProblem(args?.object as FeeShape) === undefined,
      defaultMessage: (args?: ValidationArguments) => feeProblem(args?.object as FeeShape) ?? 'fee needs fixed or percentOfPrice',
    },
  })
  fixed?: number | null;

  @PercentField({ example: 50, description: "Of the booking's total price, rounded half up to minor units; or give fixed" }, true)
  percentOfPrice?: number | null;
}

export class CancellationPolicyInput {
  @IntegerField({
    min: 0,
    max: FREE_CANCELLATION_MAX_MINUTES,
    unit: 'minutes',
    doc: { example: 1440, description: 'Cancelling at least this long before the start is free; 0: free until the start' },
  })
  freeUntilMinutesBefore!: number;

  @ApiProperty({ type: CancellationFeeInput, description: 'What a later cancellation costs' })
  @IsObject({ message: 'fee must be an object, {"fixed": 300} or {"percentOfPrice": 50}' })
  @ValidateNested()
  @Type(() => CancellationFeeInput)
  fee!: CancellationFeeInput;
}

function durationOrderProblem(rules: { minDurationMinutes?: unknown; maxDurationMinutes?: unknown }): string | undefined {
  const { minDurationMinutes: min, maxDurationMinutes: max } = rules;
  if (typeof min === 'number' && typeof max === 'number' && max < min) return `maxDurationMinutes must be at least minDurationMinutes (${min})`;
  return undefined;
}

/** Which windows may be booked; each rule left out does not apply. */
export class BookingRulesInput {
  @IntegerField({ presence: 'nullable', min: 1, max: BOOKING_DURATION_MAX_MINUTES, unit: 'minutes', doc: { example: 30 } })
  minDurationMinutes?: number | null;

  @IntegerField({ presence: 'nullable', min: 1, max: BOOKING_DURATION_MAX_MINUTES, unit: 'minutes', doc: { example: 1440 } })
  @ValidateBy({
    name: 'durationOrder',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => durationOrderProblem(args?.object as object) === undefined,
      defaultMessage: (args?: ValidationArguments) => durationOrderProblem(args?.object as object) ?? 'maxDurationMinutes must be at least minDurationMinutes',
    },
  })
  maxDurationMinutes?: number | null;

  @IntegerField({
    presence: 'nullable',
    min: 0,
    max: BOOKING_ADVANCE_MAX_DAYS,
    unit: 'days',
    doc: { example: 30, description: "A booking may start at most this many days after today (site's local date); 0: today only" },
  })
  maxAdvanceDays?: number | null;
}

const Nested = (type: new () => object, description: string, example: object) =>
  Each(
    ApiPropertyOptional({ type, description }),
    NullOrAbsentOr(IsObject({ message: `$property must be an object such as ${JSON.stringify(example)}` }), ValidateNested(), Type(() => type)),
  );

// ---------------------------------------------------------------------------------------
// The settings
// ---------------------------------------------------------------------------------------

/** A site's reservation settings as its operator writes them; left-out parts take the defaults. */
export class SiteReservationSettingsBody {
  @OneOf(TAX_MODES, { doc: { example: 'included', description: "included: the tariff's prices hold the tax; added: tax comes on top" } }) taxMode!: TaxMode;

  @PercentField({ example: 19, description: 'Percent, at most two decimals; tax is rounded half up to minor units' }, false) taxRatePercent!: number;

  @Nested(CheckInWindowInput, 'Default 15 minutes before and after the start', { beforeMinutes: 15, afterMinutes: 15 }) checkInWindow?: CheckInWindowInput | null;

  @IntegerField({
    presence: 'nullable',
    min: 0,
    max: NO_SHOW_GRACE_MAX_MINUTES,
    unit: 'minutes',
    doc: { example: 15, description: 'Not checked in this long after the start: no_show; default checkInWindow.afterMinutes' },
  })
  noShowGraceMinutes?: number | null;

  @ApiProperty({ type: CancellationPolicyInput })
  @IsObject({ message: 'cancellation must be an object such as {"freeUntilMinutesBefore": 1440, "fee": {"fixed": 300}}' })
  @ValidateNested()
  @Type(() => CancellationPolicyInput)
  cancellation!: CancellationPolicyInput;

  @Nested(BookingRulesInput, 'Duration and advance limits; default none', { minDurationMinutes: 30, maxAdvanceDays: 30 }) rules?: BookingRulesInput | null;
}

/** The settings with every default filled in. */
export interface ReservationSettings {
  taxMode: TaxMode;
  taxRatePercent: number;
  checkInWindow: { beforeMinutes: number; afterMinutes: number };
  noShowGraceMinutes: number;
  cancellation: { freeUntilMinutesBefore: number; fee: { fixed?: number | null; percentOfPrice?: number | null } };
  rules: { minDurationMinutes: number | null; maxDurationMinutes: number | null; maxAdvanceDays: number | null };
}

/** A checked body with its defaults: 15 minutes either side of the start, no-show grace as long as the window's end. */
export function resolveReservationSettings(body: SiteReservationSettingsBody): ReservationSettings {
  const beforeMinutes = body.checkInWindow?.beforeMinutes ?? CHECK_IN_WINDOW_DEFAULT_MINUTES;
  const afterMinutes = body.checkInWindow?.afterMinutes ?? CHECK_IN_WINDOW_DEFAULT_MINUTES;
  const { fixed, percentOfPrice } = body.cancellation.fee;
  return {
    taxMode: body.taxMode,
    taxRatePercent: body.taxRatePercent,
    checkInWindow: { beforeMinutes, afterMinutes },
    noShowGraceMinutes: body.noShowGraceMinutes ?? afterMinutes,
    cancellation: { freeUntilMinutesBefore: body.cancellation.freeUntilMinutesBefore, fee: given(fixed) ? { fixed } : { percentOfPrice } },
    rules: {
      minDurationMinutes: body.rules?.minDurationMinutes ?? null,
      maxDurationMinutes: body.rules?.maxDurationMinutes ?? null,
      maxAdvanceDays: body.rules?.maxAdvanceDays ?? null,
    },
  };
}
