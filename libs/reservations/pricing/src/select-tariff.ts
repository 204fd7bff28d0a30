import { localDateOf } from './wall-clock';

export interface TariffChoice {
  /** The space's price zone; null: the site-wide tariff only. */
  priceZone: string | null;
  /** The window's start: its local date decides which tariff is in effect. */
  at: Date;
  timeZone: string;
}

/**
 * The tariff that prices a window: the one of the space's price zone with the latest
 * `effectiveFrom` on or before the window's start (local date), else the site-wide one
 * (`priceZone` null or absent) chosen the same way; null when neither is in effect. The whole
 * window keeps that tariff, even when a newer one takes effect during it. Of two equal
 * candidates the first in the list wins.
 */
export function selectTariff<T extends { priceZone?: string | null; effectiveFrom: string }>(tariffs: readonly T[], choice: TariffChoice): T | null {
  const today = localDateOf(choice.at.getTime(), choice.timeZone);
  const latest = (zone: string | null): T | null => {
    let best: T | null = null;
    for (const tariff of tariffs) {
      if ((tariff.priceZone ?? null) !== zone || tariff.effectiveFrom > today) continue;
      if (best === null || tariff.effectiveFrom > best.effectiveFrom) best = tariff;
    }
    return best;
  };
  return (choice.priceZone === null ? null : latest(choice.priceZone)) ?? latest(null);
}
