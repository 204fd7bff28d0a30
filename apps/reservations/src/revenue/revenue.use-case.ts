import { Inject, Injectable } from '@nestjs/common';
import { REVENUE_RANGE_MAX_DAYS, type Principal, type RevenueRequest, type RevenueView } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';

/** Revenue of a site per local day, zone or space, from the rollups kept with every charge. */
@Injectable()
export class RevenueUseCase {
  constructor(@Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>) {}

  revenue(principal: Principal, query: RevenueRequest): Promise<RevenueView> {
    const groupBy = query.groupBy ?? 'day';
    const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000;
    if (!(days >= 0) || days > REVENUE_RANGE_MAX_DAYS) {
      throw new DomainError('VALIDATION_FAILED', `to must be on or after from, at most ${REVENUE_RANGE_MAX_DAYS} days later.`, undefined, { errors: [{ field: 'to', message: `on or after from, at most ${REVENUE_RANGE_MAX_DAYS} days later` }] });
    }
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const [site] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM reservations.sites WHERE id = ${query.siteId}::uuid`;
      if (!site) throw new NotFoundError('Site', query.siteId);
      const key =
        groupBy === 'day' ? Prisma.sql`to_char(local_day, 'YYYY-MM-DD')` : groupBy === 'zone' ? Prisma.sql`COALESCE(zone_id::text, 'none')` : Prisma.sql`space_id::text`;
      const rows = await tx.$queryRaw<Array<{ key: string; currency: string; amount: string; charges: number }>>`
        SELECT ${key} AS key, currency, sum(amount)::text AS amount, sum(charges)::int AS charges
          FROM reservations.revenue_daily
         WHERE site_id = ${query.siteId}::uuid AND local_day BETWEEN ${query.from}::date AND ${query.to}::date
         GROUP BY 1, 2 ORDER BY 1, 2`;
      const totals = new Map<string, number>();
      for (const row of rows) totals.set(row.currency, (totals.get(row.currency) ?? 0) + Number(row.amount));
      return {
        siteId: query.siteId,
        from: query.from,
        to: query.to,
        groupBy,
        rows: rows.map((row) => ({ key: row.key, currency: row.currency, amount: Number(row.amount), charges: row.charges })),
        totals: [...totals].map(([currency, amount]) => ({ currency, amount })),
      };
    });
  }
}
