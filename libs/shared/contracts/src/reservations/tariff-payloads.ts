import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { Each, NullOrAbsentOr, presence, type Presence } from '../fields/compose';
import { documented, TextField } from '../fields/text';
import { PriceZoneField } from '../occupancy/occupancy-fields';

/**
 * A tariff (APDS: a rate table) prices the time of a reservation at a site, or at the spaces
 * of one price zone. Bands give each weekday's hours a price; time that no band covers is free,
 * so a gap is how a tariff says "free at night" or "free on Sundays" (covering the whole week
 * with bands is how it charges for every hour). Money is an integer in the currency's minor
 * unit (cents of EUR, yen of JPY); rates are per hour, charged in started increments.
 */

export const TARIFF_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type TariffWeekday = (typeof TARIFF_WEEKDAYS)[number];

export const TARIFF_NAME_MAX = 100;
export const TARIFF_BANDS_MAX = 28;
export const RATE_TIERS_MAX = 8;
/** 1,000,000.00 in a two-decimal currency: more than any parking price, far below 2^53. */
export const MINOR_UNITS_MAX = 100_000_000;
export const RATE_PER_HOUR_MAX = 10_000_000;
/** Increments and tier lengths are at most a day. */
export const TARIFF_MINUTES_MAX = 1440;

/** `HH:MM`, 00:00 to 23:59. */
export const CLOCK_TIME_PATTERN = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
/** `HH:MM-HH:MM`; the end may be 24:00, and before the start for a band that runs past midnight. */
export const BAND_TIME_PATTERN = /^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const BAND_TIME_HINT = "time must be HH:MM-HH:MM in the site's local time, e.g. 08:00-18:00, 22:00-06:00 (past midnight) or 00:00-24:00 (all day)";
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTES_PER_WEEK = 7 * 1440;

// ---------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------

function isBoundedInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** An integer of `min` to `max`, one message for every way it can be wrong. */
export function IntegerField(options: { presence?: Presence; min: number; max: number; unit: string; doc: ApiPropertyOptions }): PropertyDecorator {
  const given = options.presence ?? 'required';
  return Each(
    documented(given, { type: 'integer', minimum: options.min, maximum: options.max, ...options.doc } as ApiPropertyOptions),
    presence(
      given,
      ValidateBy({
        name: 'isBoundedInteger',
        validator: {
          validate: (value: unknown) => isBoundedInteger(value, options.min, options.max),
          defaultMessage: () => `$property must be a whole number of ${options.unit}, ${options.min} to ${options.max}`,
        },
      }),
    ),
  );
}

/** An amount of money: a non-negative integer in the currency's minor unit. */
export const MinorUnitsField = (given: Presence, doc: ApiPropertyOptions) =>
  IntegerField({ presence: given, min: 0, max: MINOR_UNITS_MAX, unit: "the currency's minor unit (cents)", doc });

function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && Intl.supportedValuesOf('currency').includes(value);
}

/** An ISO 4217 code (upper case) that Intl knows. */
export const CurrencyField = () =>
  Each(
    ApiProperty({ type: 'string', pattern: '^[A-Z]{3}$', example: 'EUR', description: 'ISO 4217; every amount of the tariff is in its minor unit' }),
    ValidateBy({ name: 'isCurrencyCode', validator: { validate: isCurrencyCode, defaultMessage: () => 'currency must be an ISO 4217 code in capitals, e.g. EUR' } }),
  );

/** A real calendar day `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

export const ClockTimeField = (doc: ApiPropertyOptions) =>
  Each(
    ApiProperty({ type: 'string', pattern: CLOCK_TIME_PATTERN.source, ...doc } as ApiPropertyOptions),
    ValidateBy({
      name: 'isClockTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && CLOCK_TIME_PATTERN.test(value),
        defaultMessage: () => "$property must be HH:MM (00:00 to 23:59) in the site's local time",
      },
    }),
  );

/** Minutes after midnight of `HH:MM` (24:00 is 1440). */
export const clockMinutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function bandTimeProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !BAND_TIME_PATTERN.test(value)) return BAND_TIME_HINT;
  if (value.slice(0, 5) === value.slice(6)) return 'time must not start and end at the same minute; a whole day is 00:00-24:00';
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Tiers and bands
// ---------------------------------------------------------------------------------------

/** One step of a band's price: up to `upToMinutes` into the day's stay, or (the last) all further time. */
export class RateTierInput {
  @IntegerField({
    presence: 'nullable',
    min: 1,
    max: TARIFF_MINUTES_MAX,
    unit: 'minutes',
    doc: { example: 60, description: "Where the next tier starts, in minutes of the day's stay; left out on the last tier" },
  })
  upToMinutes?: number | null;

  @IntegerField({ min: 0, max: RATE_PER_HOUR_MAX, unit: "the currency's minor unit per hour", doc: { example: 300, description: 'Minor units per hour' } })
  ratePerHour!: number;
}

function tierProblem(tiers: unknown): string | undefined {
  if (!Array.isArray(tiers) || tiers.length === 0) return undefined;
  const bounds = (tiers as Array<{ upToMinutes?: unknown }>).map((tier) => tier?.upToMinutes);
  // The tiers' own fields report a bound that is no integer.
  if (bounds.some((bound) => bound !== undefined && bound !== null && typeof bound !== 'number')) return undefined;
  const last = bounds.length - 1;
  if (bounds[last] !== undefined && bounds[last] !== null) {
    return `tiers[${last}] is the last tier and applies to all further time: leave out its upToMinutes (add a tier after it for the time beyond ${String(bounds[last])} minutes)`;
  }
  for (let i = 0; i < last; i++) {
    const bound = bounds[i];
    if (bound === undefined || bound === null) return `tiers[${i}] needs upToMinutes (where tier ${i + 1} starts); only the last tier has none`;
    const previous = i > 0 ? (bounds[i - 1] as number) : 0;
    if ((bound as number) <= previous) return `tiers[${i}].upToMinutes must be more than ${previous} (tiers count the minutes of the day's stay in order)`;
  }
  return undefined;
}

/** A band's weekly ranges in minutes of the week from Monday 00:00 (split at the week's end). */
function weeklyRanges(band: { days: TariffWeekday[]; time: string }): Array<[number, number]> {
  const start = clockMinutes(band.time.slice(0, 5));
  const end = clockMinutes(band.time.slice(6));
  const ranges: Array<[number, number]> = [];
  for (const day of band.days) {
    const from = TARIFF_WEEKDAYS.indexOf(day) * 1440 + start;
    const to = from - start + (end > start ? end : 1440 + end);
    if (to <= MINUTES_PER_WEEK) ranges.push([from, to]);
    else ranges.push([from, MINUTES_PER_WEEK], [0, to - MINUTES_PER_WEEK]);
  }
  return ranges;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** `tue 07:00-08:00`, `sun 23:00-01:00`: a stretch of the week as the bands' times read. */
function describeWeekly(from: number, to: number): string {
  const dayStart = Math.floor(from / 1440) * 1440;
  const end = to - dayStart;
  return `${TARIFF_WEEKDAYS[dayStart / 1440]} ${hhmm(from - dayStart)}-${end > 1440 ? hhmm(end - 1440) : hhmm(end)}`;
}

function isWellFormedBand(band: unknown): band is { days: TariffWeekday[]; time: string } {
  const candidate = band as { days?: unknown; time?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.days) &&
    candidate.days.every((day) => TARIFF_WEEKDAYS.includes(day as TariffWeekday)) &&
    bandTimeProblem(candidate.time) === undefined
  );
}

/** The first two bands that cover the same weekday and time, and where; none when they do not overlap. */
export function tariffBandOverlap(bands: ReadonlyArray<{ days: TariffWeekday[]; time: string }>): string | undefined {
  const ranges = bands.map(weeklyRanges);
  for (let later = 1; later < ranges.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      for (const [a0, a1] of ranges[later]) {
        for (const [b0, b1] of ranges[earlier]) {
          const from = Math.max(a0, b0);
          const to = Math.min(a1, b1);
          if (from < to) {
            return `bands[${later}] and bands[${earlier}] both cover ${describeWeekly(from, to)}; bands may not overlap: change a time or drop a day from one of them`;
          }
        }
      }
    }
  }
  return undefined;
}

/** A price for some hours of some weekdays, e.g. mon-fri 08:00-18:00. */
export class TariffBandInput {
  @ApiProperty({
    enum: TARIFF_WEEKDAYS,
    isArray: true,
    minItems: 1,
    maxItems: 7,
    example: ['mon', 'tue', 'wed', 'thu', 'fri'],
    description: 'The weekdays on which the band starts (a band past midnight runs into the next day)',
  })
  @IsArray({ message: 'days must be a list of weekdays (mon … sun)' })
  @ArrayMinSize(1, { message: 'days must name at least one weekday (mon … sun)' })
  @ArrayMaxSize(7, { message: 'days must name each weekday at most once' })
  @ArrayUnique({ message: 'days must name each weekday at most once' })
  @IsIn(TARIFF_WEEKDAYS, { each: true, message: 'each of days must be one of mon, tue, wed, thu, fri, sat, sun' })
  days!: TariffWeekday[];

  @ApiProperty({ type: 'string', pattern: BAND_TIME_PATTERN.source, example: '08:00-18:00', description: "Local time of day; 22:00-06:00 runs past midnight, 00:00-24:00 is the whole day" })
  @ValidateBy({ name: 'isBandTime', validator: { validate: (value: unknown) => bandTimeProblem(value) === undefined, defaultMessage: (args?: ValidationArguments) => bandTimeProblem(args?.value) ?? BAND_TIME_HINT } })
  time!: string;

  @IntegerField({ min: 1, max: TARIFF_MINUTES_MAX, unit: 'minutes', doc: { example: 15, description: 'Time in the band is charged in started increments of this many minutes' } })
  incrementMinutes!: number;

  @ApiProperty({
    type: RateTierInput,
    isArray: true,
    minItems: 1,
    maxItems: RATE_TIERS_MAX,
    example: [{ upToMinutes: 60, ratePerHour: 300 }, { ratePerHour: 200 }],
    description: "Rates by the minutes of the day's stay: here 3.00/h for the first hour, 2.00/h for each further hour",
  })
  @IsArray({ message: 'tiers must be a list of rate tiers' })
  @ArrayMinSize(1, { message: 'tiers must hold at least one tier, e.g. [{"ratePerHour": 200}]' })
  @ArrayMaxSize(RATE_TIERS_MAX, { message: `tiers must hold at most ${RATE_TIERS_MAX} tiers` })
  @ValidateNested({ each: true })
  @Type(() => RateTierInput)
  @ValidateBy({ name: 'tierOrder', validator: { validate: (value: unknown) => tierProblem(value) === undefined, defaultMessage: (args?: ValidationArguments) => tierProblem(args?.value) ?? 'tiers are out of order' } })
  tiers!: RateTierInput[];

  @TextField({ presence: 'nullable', max: 100, doc: { example: 'Weekday daytime', description: 'Shown on the quote; default: the days and time' } })
  label?: string | null;
}

/** The most a day of a stay costs; a day runs from `resetAt` to the next `resetAt`, local time. */
export class DailyMaximumInput {
  @MinorUnitsField('required', { example: 1800, description: 'Minor units' }) amount!: number;
  @ClockTimeField({ example: '00:00', description: "Local time at which a new day (and a new maximum) starts, e.g. 00:00 or 06:00" }) resetAt!: string;
}

// ---------------------------------------------------------------------------------------
// The tariff
// ---------------------------------------------------------------------------------------

/** The bands as a whole: listed in full, none overlapping another. */
const BandsField = () =>
  Each(
    ApiProperty({ type: TariffBandInput, isArray: true, minItems: 1, maxItems: TARIFF_BANDS_MAX, description: 'No two bands may cover the same weekday and time; time no band covers is free' }),
    IsArray({ message: 'bands must be a list of bands' }),
    ArrayMinSize(1, { message: 'bands must hold at least one band, e.g. {"days": ["mon"], "time": "00:00-24:00", "incrementMinutes": 15, "tiers": [{"ratePerHour": 200}]}' }),
    ArrayMaxSize(TARIFF_BANDS_MAX, { message: `bands must hold at most ${TARIFF_BANDS_MAX} bands` }),
    ValidateNested({ each: true }),
    Type(() => TariffBandInput),
    ValidateBy({
      name: 'bandsApart',
      validator: {
        // Only bands that are each well formed are compared; their own fields report the rest.
        validate: (value: unknown) => !Array.isArray(value) || !value.every(isWellFormedBand) || tariffBandOverlap(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => tariffBandOverlap(args?.value as Array<{ days: TariffWeekday[]; time: string }>) ?? 'bands may not overlap',
      },
    }),
  );

/** A rate table as a site's operator writes it; it applies from `effectiveFrom` until a later one of the same price zone. */
export class TariffBody {
  @TextField({ max: TARIFF_NAME_MAX, doc: { example: 'Standard 2026' } }) name!: string;

  @CurrencyField() currency!: string;

  @ApiProperty({ type: 'string', format: 'date', example: '2026-01-01', description: "The first day (site's local date) on which windows starting then are priced by this tariff" })
  @ValidateBy({ name: 'isIsoDate', validator: { validate: isIsoDate, defaultMessage: () => 'effectiveFrom must be a calendar date YYYY-MM-DD, e.g. 2026-01-01' } })
  effectiveFrom!: string;

  /** null or absent: the whole site; else the spaces whose priceZone is this. */
  @PriceZoneField() priceZone?: string | null;

  @BandsField() bands!: TariffBandInput[];

  @Each(
    documented('nullable', { type: DailyMaximumInput, description: 'The most one day of a stay costs (reservation fee aside); null: no maximum' }),
    NullOrAbsentOr(IsObject({ message: 'dailyMaximum must be an object {"amount": 1800, "resetAt": "00:00"} or null' }), ValidateNested(), Type(() => DailyMaximumInput)),
  )
  dailyMaximum?: DailyMaximumInput | null;

  @MinorUnitsField('nullable', { example: 100, description: 'The least the time of a stay costs (reservation fee aside)' }) minimumCharge?: number | null;
  @MinorUnitsField('nullable', { example: 50, description: 'Added to every booking, on top of the time' }) reservationFee?: number | null;
}
