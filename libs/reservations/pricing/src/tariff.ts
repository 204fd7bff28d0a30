import { parseClock, parseClockRange, WEEKDAYS, type Weekday } from './wall-clock';

/**
 * The tariff as pricing reads it: the shape of the contracts' TariffBody, which has already
 * refused overlapping bands, bad tiers and bad amounts. Should bands overlap all the same,
 * the one that starts earlier wins the shared time.
 */
export interface RateTier {
  /** Where the next tier starts, in minutes of the day's stay; none on the last tier. */
  upToMinutes?: number | null;
  /** Minor units per hour. */
  ratePerHour: number;
}

export interface TariffBand {
  /** The weekdays on which the band starts; past midnight it runs into the next day. */
  days: readonly Weekday[];
  /** `HH:MM-HH:MM` local; `22:00-06:00` runs past midnight, `00:00-24:00` is the whole day. */
  time: string;
  incrementMinutes: number;
  tiers: readonly RateTier[];
  label?: string | null;
}

export interface Tariff {
  name: string;
  currency: string;
  /** `YYYY-MM-DD`, the site's local date. */
  effectiveFrom: string;
  priceZone?: string | null;
  bands: readonly TariffBand[];
  dailyMaximum?: { amount: number; resetAt: string } | null;
  minimumCharge?: number | null;
  reservationFee?: number | null;
}

export interface CompiledTier {
  /** Minutes of the day's stay: [from, to). */
  from: number;
  to: number;
  ratePerHour: number;
}

export interface CompiledBand {
  index: number;
  weekdays: ReadonlySet<Weekday>;
  start: number;
  /** After `start`, possibly 1440 or more (past midnight: minutes of the next day plus 1440). */
  end: number;
  incrementMinutes: number;
  tiers: CompiledTier[];
  label: string;
}

export interface CompiledTariff {
  bands: CompiledBand[];
  /** Minutes after midnight at which a day of a stay starts: the daily maximum's reset, else midnight. */
  dayStartsAt: number;
  dailyMaximum: number | null;
  minimumCharge: number;
  reservationFee: number;
}

/** `mon-fri`, `sat,sun`, `mon,wed-fri`. */
function describeDays(days: ReadonlySet<Weekday>): string {
  const runs: string[] = [];
  for (let i = 0; i < WEEKDAYS.length; i++) {
    if (!days.has(WEEKDAYS[i])) continue;
    let last = i;
    while (last + 1 < WEEKDAYS.length && days.has(WEEKDAYS[last + 1])) last++;
    runs.push(last - i >= 2 ? `${WEEKDAYS[i]}-${WEEKDAYS[last]}` : WEEKDAYS.slice(i, last + 1).join(','));
    i = last;
  }
  return runs.join(',');
}

function amount(value: number | null | undefined, what: string): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer of minor units`);
  return value;
}

function compileTiers(tiers: readonly RateTier[], band: number): CompiledTier[] {
  if (tiers.length === 0) throw new RangeError(`bands[${band}] has no rate tier`);
  return tiers.map((tier, i) => {
    const last = i === tiers.length - 1;
    const to = last ? Infinity : (tier.upToMinutes ?? NaN);
    const from = i === 0 ? 0 : (tiers[i - 1].upToMinutes as number);
    if (!(to > from)) throw new RangeError(`bands[${band}].tiers[${i}] must end after it starts; only the last tier is open-ended`);
    return { from, to, ratePerHour: amount(tier.ratePerHour, `bands[${band}].tiers[${i}].ratePerHour`) };
  });
}

/** The tariff with its times parsed and its defaults filled in; throws RangeError when malformed. */
export function compileTariff(tariff: Tariff): CompiledTariff {
  const bands = tariff.bands.map((band, index): CompiledBand => {
    const { start, end } = parseClockRange(band.time);
    if (!Number.isInteger(band.incrementMinutes) || band.incrementMinutes < 1) throw new RangeError(`bands[${index}].incrementMinutes must be a positive integer`);
    const weekdays = new Set(band.days);
    return {
      index,
      weekdays,
      start,
      end: end > start ? end : end + 1440,
      incrementMinutes: band.incrementMinutes,
      tiers: compileTiers(band.tiers, index),
      label: band.label ?? `${describeDays(weekdays)} ${band.time}`,
    };
  });
  const dailyMaximum = tariff.dailyMaximum ?? null;
  return {
    bands,
    dayStartsAt: dailyMaximum ? parseClock(dailyMaximum.resetAt) % 1440 : 0,
    dailyMaximum: dailyMaximum ? amount(dailyMaximum.amount, 'dailyMaximum.amount') : null,
    minimumCharge: amount(tariff.minimumCharge, 'minimumCharge'),
    reservationFee: amount(tariff.reservationFee, 'reservationFee'),
  };
}
