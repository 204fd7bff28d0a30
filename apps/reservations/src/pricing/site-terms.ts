import { CHECK_IN_WINDOW_DEFAULT_MINUTES, type OpeningHours, type ReservationSettings } from '@parking/contracts';
import type { TemplateSqlClient } from '@parking/database';
import { NotFoundError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';
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

/** The terms as `siteTermsSql` reads them. */
export interface SiteTermsJson {
  time_zone: string;
  opening_hours: OpeningHours | null;
  settings: ReservationSettings | null;
  tariffs: Array<{ id: string; definition: Tariff }>;
}

/** An expression for the terms of the site `siteId` (a value or a subquery) as one JSON value; null for no such site. */
export function siteTermsSql(siteId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('time_zone', s.time_zone, 'opening_hours', s.opening_hours, 'settings', st.settings,
             'tariffs', COALESCE((SELECT json_agg(json_build_object('id', t.id, 'definition', t.definition)) FROM reservations.tariffs t WHERE t.site_id = s.id), '[]'))
      FROM reservations.sites s LEFT JOIN reservations.site_settings st ON st.site_id = s.id
     WHERE s.id = ${siteId} AND s.removed_at IS NULL)`;
}

/** The terms of `siteId` from what `siteTermsSql` read; 404 for a site that does not exist. */
export function siteTermsOf(siteId: string, site: SiteTermsJson | null): SiteTerms {
  if (!site) throw new NotFoundError('Site', siteId);
  return {
    siteId,
    timeZone: site.time_zone,
    openingHours: site.opening_hours,
    settings: site.settings ?? DEFAULT_RESERVATION_SETTINGS,
    tariffs: site.tariffs.map((row) => ({ ...row.definition, id: row.id })),
  };
}

export async function loadSiteTerms(tx: TemplateSqlClient, siteId: string): Promise<SiteTerms> {
  const [{ terms }] = await tx.$queryRaw<Array<{ terms: SiteTermsJson | null }>>`SELECT ${siteTermsSql(Prisma.sql`${siteId}::uuid`)} AS terms`;
  return siteTermsOf(siteId, terms);
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
