import { applyTax, mulDivHalfUp, type TaxMode } from './money';
import { segmentsOf, type Segment } from './segments';
import { compileTariff, type CompiledBand, type CompiledTariff, type Tariff } from './tariff';
import { DAY_MS, localTimestamp, MINUTE_MS } from './wall-clock';

/**
 * The price of a window, step by step:
 *
 * 1. The window is cut into days of the stay (from the daily maximum's `resetAt`, else
 *    midnight, local time) and, within a day, into segments: a stretch of one band each (a
 *    band that goes on across midnight, such as 00:00-24:00 daily, stays one stretch), or
 *    free time where no band applies.
 * 2. A segment's time is rounded up to started increments of its band, on its own: a new
 *    segment (another band, or a new day of the stay) starts a new increment.
 * 3. Tiers count the charged minutes of the day's stay: they start at 0 when the stay starts
 *    and again at each new day, and run on across the day's segments, whichever band each is
 *    in (so "the first hour" is the first hour of the stay that day, not of each band).
 *    Free time does not advance them.
 * 4. Each tier's share of a segment costs minutes × ratePerHour / 60, rounded half up.
 * 5. A day costs at most the daily maximum; the days' sum is raised to the minimum charge.
 * 6. The reservation fee comes on top; then the tax (see applyTax).
 */

export interface TimeWindow {
  from: Date;
  to: Date;
}

export interface PricingSite {
  timeZone: string;
  taxMode: TaxMode;
  taxRatePercent: number;
}

export interface TierCharge {
  tier: number;
  /** Minutes of the day's stay this share covers: [fromMinute, toMinute). */
  fromMinute: number;
  toMinute: number;
  ratePerHour: number;
  amount: number;
}

export interface QuoteLine {
  /** The local date on which this day of the stay started. */
  day: string;
  start: Date;
  end: Date;
  /** RFC 3339 in the site's offset at that instant. */
  localStart: string;
  localEnd: string;
  /** Index into tariff.bands; null for free time. */
  band: number | null;
  label: string;
  /** The real length, in minutes (a fraction when the window is not on whole minutes). */
  durationMinutes: number;
  /** Rounded up to started increments. */
  chargedMinutes: number;
  tiers: TierCharge[];
  amount: number;
}

export interface QuoteDay {
  day: string;
  /** The day clipped to the window. */
  start: Date;
  end: Date;
  /** The day's lines added up. */
  uncapped: number;
  cap: number | null;
  charged: number;
}

export interface Quote {
  currency: string;
  tariffName: string;
  from: Date;
  to: Date;
  lines: QuoteLine[];
  days: QuoteDay[];
  /** The days' charges after the daily maximum. */
  timeCharge: number;
  /** What was added to reach the minimum charge (0 when the time cost more). */
  minimumChargeTopUp: number;
  reservationFee: number;
  /** timeCharge + minimumChargeTopUp + reservationFee, in the tariff's terms (gross when tax is included). */
  subtotal: number;
  taxMode: TaxMode;
  taxRatePercent: number;
  net: number;
  tax: number;
  total: number;
}

/** Windows of pricing are bounded so that a wrong year cannot spin through millions of days. */
export const PRICED_WINDOW_MAX_DAYS = 400;

export function checkWindow(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('the window needs valid from and to instants');
  if (to <= from) throw new RangeError('the window must end after it starts');
  if (to - from > PRICED_WINDOW_MAX_DAYS * DAY_MS) throw new RangeError(`the window may last at most ${PRICED_WINDOW_MAX_DAYS} days`);
}

/** The tiers' shares of the day's charged minutes [position, position + minutes). */
function tierCharges(band: CompiledBand, position: number, minutes: number): TierCharge[] {
  const charges: TierCharge[] = [];
  band.tiers.forEach((tier, index) => {
    const fromMinute = Math.max(position, tier.from);
    const toMinute = Math.min(position + minutes, tier.to);
    if (fromMinute < toMinute) {
      charges.push({ tier: index, fromMinute, toMinute, ratePerHour: tier.ratePerHour, amount: mulDivHalfUp(toMinute - fromMinute, tier.ratePerHour, 60) });
    }
  });
  return charges;
}

function lineOf(segment: Segment, position: number, timeZone: string): QuoteLine {
  const duration = segment.end - segment.start;
  const band = segment.band;
  const chargedMinutes = band ? Math.ceil(duration / (band.incrementMinutes * MINUTE_MS)) * band.incrementMinutes : 0;
  const tiers = band ? tierCharges(band, position, chargedMinutes) : [];
  return {
    day: segment.day,
    start: new Date(segment.start),
    end: new Date(segment.end),
    localStart: localTimestamp(segment.start, timeZone),
    localEnd: localTimestamp(segment.end, timeZone),
    band: band ? band.index : null,
    label: band ? band.label : 'free (no band)',
    durationMinutes: duration / MINUTE_MS,
    chargedMinutes,
    tiers,
    amount: tiers.reduce((sum, charge) => sum + charge.amount, 0),
  };
}

/** The time charges of [from, to): lines and days, before the minimum charge and the fee. */
export function timeCharges(tariff: CompiledTariff, from: number, to: number, timeZone: string): { lines: QuoteLine[]; days: QuoteDay[] } {
  const { days, segments } = segmentsOf(tariff, from, to, timeZone);
  const lines: QuoteLine[] = [];
  const position = new Map<string, number>();
  for (const segment of segments) {
    const line = lineOf(segment, position.get(segment.day) ?? 0, timeZone);
    position.set(segment.day, (position.get(segment.day) ?? 0) + line.chargedMinutes);
    lines.push(line);
  }
  const quoteDays = days.map((day): QuoteDay => {
    const uncapped = lines.filter((line) => line.day === day.day).reduce((sum, line) => sum + line.amount, 0);
    const cap = tariff.dailyMaximum;
    return { day: day.day, start: new Date(day.start), end: new Date(day.end), uncapped, cap, charged: cap === null ? uncapped : Math.min(uncapped, cap) };
  });
  return { lines, days: quoteDays };
}

/** The quote of a window at a tariff; the reservation fee is included unless `reservationFee: false`. */
export function priceWindow(tariff: Tariff, window: TimeWindow, site: PricingSite, options: { reservationFee?: boolean } = {}): Quote {
  const from = window.from.getTime();
  const to = window.to.getTime();
  checkWindow(from, to);
  const compiled = compileTariff(tariff);
  const { lines, days } = timeCharges(compiled, from, to, site.timeZone);
  const timeCharge = days.reduce((sum, day) => sum + day.charged, 0);
  const minimumChargeTopUp = Math.max(0, compiled.minimumCharge - timeCharge);
  const reservationFee = options.reservationFee === false ? 0 : compiled.reservationFee;
  const subtotal = timeCharge + minimumChargeTopUp + reservationFee;
  return {
    currency: tariff.currency,
    tariffName: tariff.name,
    from: new Date(from),
    to: new Date(to),
    lines,
    days,
    timeCharge,
    minimumChargeTopUp,
    reservationFee,
    subtotal,
    taxMode: site.taxMode,
    taxRatePercent: site.taxRatePercent,
    ...applyTax(subtotal, site.taxMode, site.taxRatePercent),
  };
}
