import { CHECK_IN_WINDOW_DEFAULT_MINUTES, type OpeningHours, type ReservationSettings } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { NotFoundError } from '@parking/problem-details';
import { priceWindow, selectTariff, type Quote, type Tariff } from '@parking/reservations/pricing';

/** A site without settings of its own: tax included at 0 %, a 15-minute check-in window either side, free cancellation, no rules. */
export const DEFAULT_RESERVATION_SETTINGS: ReservationSettings = Object.freeze({
  taxMode: 'included',
  taxRatePercent: 0,
  checkInWindow: { beforeMinutes: CHECK_IN_WINDOW_DEFAULT_MINUTES, afterMinutes: CHECK_IN_WINDOW_DEFAULT_MINUTES },
  noShowGraceMinutes: CHECK_IN_WINDOW_DEFAULT_MINUTES,
  cancellation: { freeUntilMinutesBefore: 0, fee: { fixed: 0 } },
  rules: { minDurationMinutes: null, maxDurationMinutes: null, maxAdvanceDays: null },
}) as ReservationSettings;

/** What a booking at a site is priced and judged by: its clock, hours, settings and rate tables. */
export interface SiteTerms {
  siteId: string;
  timeZone: string;
  openingHours: OpeningHours | null;
  settings: ReservationSettings;
  tariffs: Array<Tariff & { id: string }>;
}

export async function loadSiteTerms(tx: TemplateSqlClient, siteId: string): Promise<SiteTerms> {
  const [site] = await tx.$queryRaw<Array<{ time_zone: string; opening_hours: OpeningHours | null; settings: ReservationSettings | null; tariffs: Array<{ id: string; definition: Tariff }> }>>`
    SELECT s.time_zone, s.opening_hours, st.settings,
           COALESCE((SELECT json_agg(json_build_object('id', t.id, 'definition', t.definition)) FROM reservations.tariffs t WHERE t.site_id = s.id), '[]') AS tariffs
      FROM reservations.sites s LEFT JOIN reservations.site_settings st ON st.site_id = s.id
     WHERE s.id = ${siteId}::uuid AND s.removed_at IS NULL`;
  if (!site) throw new NotFoundError('Site', siteId);
  return {
    siteId,
    timeZone: site.time_zone,
    openingHours: site.opening_hours,
    settings: site.settings ?? DEFAULT_RESERVATION_SETTINGS,
    tariffs: site.tariffs.map((row) => ({ ...row.definition, id: row.id })),
  };
}

/** The price of a window for a space of `priceZone`; null where the site has no tariff in effect (free). */
export function priceFor(terms: SiteTerms, priceZone: string | null, window: { from: Date; to: Date }, options: { reservationFee?: boolean } = {}): (Quote & { tariffId: string }) | null {
  const tariff = selectTariff(terms.tariffs, { priceZone, at: window.from, timeZone: terms.timeZone });
  if (!tariff) return null;
  const quote = priceWindow(tariff, window, { timeZone: terms.timeZone, taxMode: terms.settings.taxMode, taxRatePercent: terms.settings.taxRatePercent }, { reservationFee: options.reservationFee ?? true });
  return { ...quote, tariffId: tariff.id };
}

/** The breakdown a quote and a booking keep: JSON of the quote (instants as strings). */
export function breakdownOf(quote: Quote & { tariffId: string }): Record<string, unknown> {
  return JSON.parse(JSON.stringify(quote)) as Record<string, unknown>;
}
