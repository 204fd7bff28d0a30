import { Inject, Injectable } from '@nestjs/common';
import type { Principal, QuoteRequest, QuoteView } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { breakdownOf, loadSiteTerms, priceFor } from './site-terms';

export const QUOTE_OPTIONS = Symbol('QUOTE_OPTIONS');
export interface QuoteOptions {
  /** How long a quote's price holds (QUOTE_TTL_MINUTES). */
  ttlMs: number;
}

/** APDS's Quote: the price of a window for a space (or a zone's spaces), stored so a booking can name it. */
@Injectable()
export class QuotesUseCase {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    @Inject(QUOTE_OPTIONS) private readonly options: QuoteOptions,
  ) {}

  quote(principal: Principal, query: QuoteRequest): Promise<QuoteView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const from = new Date(query.from);
      const to = new Date(query.to);
      const target = query.spaceId ? await this.space(tx, query.spaceId) : await this.zone(tx, query.zoneId as string);
      const terms = await loadSiteTerms(tx, target.siteId);
      const price = priceFor(terms, target.priceZone, { from, to });
      if (!price) throw new DomainError('CONFLICT', `No tariff is in effect at this site for ${from.toISOString()}; bookings there are free, and there is nothing to quote.`);
      const id = randomUUID();
      const expiresAt = new Date(Date.now() + this.options.ttlMs);
      const breakdown = breakdownOf(price);
      await tx.$executeRaw`
        INSERT INTO reservations.quotes (id, tenant_id, site_id, space_id, zone_id, period, currency, total, breakdown, expires_at)
        VALUES (${id}::uuid, ${principal.tenantId}::uuid, ${target.siteId}::uuid, ${query.spaceId ?? null}::uuid, ${query.zoneId ?? null}::uuid,
                tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)'), ${price.currency}, ${price.total}::int, ${JSON.stringify(breakdown)}::jsonb, ${expiresAt}::timestamptz)`;
      return {
        id,
        siteId: target.siteId,
        spaceId: query.spaceId ?? null,
        zoneId: query.zoneId ?? null,
        from: from.toISOString(),
        to: to.toISOString(),
        total: { amount: price.total, currency: price.currency },
        breakdown,
        expiresAt: expiresAt.toISOString(),
      };
    });
  }

  private async space(tx: TemplateSqlClient, spaceId: string): Promise<{ siteId: string; priceZone: string | null }> {
    const [space] = await tx.$queryRaw<Array<{ site_id: string; price_zone: string | null }>>`
      SELECT site_id, price_zone FROM reservations.spaces WHERE id = ${spaceId}::uuid AND removed_at IS NULL AND code <> ''`;
    if (!space) throw new NotFoundError('Space', spaceId);
    return { siteId: space.site_id, priceZone: space.price_zone };
  }

  /** A zone's price is that of its spaces' price zone when they share one, else the site's tariff. */
  private async zone(tx: TemplateSqlClient, zoneId: string): Promise<{ siteId: string; priceZone: string | null }> {
    const [zone] = await tx.$queryRaw<Array<{ site_id: string; price_zones: Array<string | null> }>>`
      SELECT z.site_id, ARRAY(SELECT DISTINCT sp.price_zone FROM reservations.spaces sp JOIN reservations.zones n ON n.id = sp.zone_id
                               WHERE z.id = ANY (n.path) AND sp.removed_at IS NULL) AS price_zones
        FROM reservations.zones z WHERE z.id = ${zoneId}::uuid AND z.removed_at IS NULL`;
    if (!zone) throw new NotFoundError('Zone', zoneId);
    return { siteId: zone.site_id, priceZone: zone.price_zones.length === 1 ? zone.price_zones[0] : null };
  }
}
