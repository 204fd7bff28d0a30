import { applyTax, type TaxMode } from './money';
import { checkWindow, timeCharges, type PricingSite } from './price-window';
import { compileTariff, type Tariff } from './tariff';

export interface OverstayDay {
  day: string;
  /** The day's charge for the whole stay, from the booked start until the car left (after the daily maximum). */
  stay: number;
  /** The day's charge for the booked window alone. */
  booked: number;
  charged: number;
}

export interface OverstayCharge {
  currency: string;
  /** The booked end and when the car left. */
  from: Date;
  to: Date;
  days: OverstayDay[];
  /** The days' charges added up. */
  timeCharge: number;
  /** What of timeCharge the booking's minimum charge had already paid for. */
  minimumChargeCredit: number;
  /** timeCharge − minimumChargeCredit, in the tariff's terms. */
  subtotal: number;
  taxMode: TaxMode;
  taxRatePercent: number;
  net: number;
  tax: number;
  total: number;
}

/**
 * The time from the booked end until the car left, at the booking's tariff and without a
 * second reservation fee: the price of the whole stay less the price of the booked window,
 * day by day. So the overstay continues the booking's tiers and started increment (time
 * already paid by rounding up is not paid twice), a day's maximum counts what the booking
 * already paid that day, and the minimum charge counts once for the whole stay.
 */
export function overstayCharge(tariff: Tariff, stay: { bookedFrom: Date; bookedTo: Date; leftAt: Date }, site: PricingSite): OverstayCharge {
  const bookedFrom = stay.bookedFrom.getTime();
  const bookedTo = stay.bookedTo.getTime();
  const leftAt = Math.max(bookedTo, stay.leftAt.getTime());
  checkWindow(bookedFrom, bookedTo);
  checkWindow(bookedFrom, leftAt);
  const compiled = compileTariff(tariff);
  const booked = timeCharges(compiled, bookedFrom, bookedTo, site.timeZone).days;
  const whole = leftAt > bookedTo ? timeCharges(compiled, bookedFrom, leftAt, site.timeZone).days : booked;
  const bookedByDay = new Map(booked.map((day) => [day.day, day.charged]));
  const days = whole
    .filter((day) => day.end.getTime() > bookedTo)
    .map((day): OverstayDay => {
      const paid = bookedByDay.get(day.day) ?? 0;
      return { day: day.day, stay: day.charged, booked: paid, charged: Math.max(0, day.charged - paid) };
    });
  const timeCharge = days.reduce((sum, day) => sum + day.charged, 0);
  const sum = (list: typeof booked) => list.reduce((total, day) => total + day.charged, 0);
  const floor = compiled.minimumCharge;
  const subtotal = Math.max(0, Math.max(floor, sum(whole)) - Math.max(floor, sum(booked)));
  return {
    currency: tariff.currency,
    from: new Date(bookedTo),
    to: new Date(leftAt),
    days,
    timeCharge,
    minimumChargeCredit: timeCharge - subtotal,
    subtotal,
    taxMode: site.taxMode,
    taxRatePercent: site.taxRatePercent,
    ...applyTax(subtotal, site.taxMode, site.taxRatePercent),
  };
}
