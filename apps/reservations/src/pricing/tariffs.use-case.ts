import { Inject, Injectable } from '@nestjs/common';
import {
  resolveReservationSettings,
  type Page,
  type Principal,
  type PutSiteSettingsBody,
  type SiteSettingsView,
  type TariffBody,
  type TariffView,
} from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';
import { afterCursor, keysetColumns, RAW_TENANT_DATABASE, toPage, whereAll } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { DEFAULT_RESERVATION_SETTINGS } from './site-terms';

interface TariffRow {
  id: string;
  site_id: string;
  definition: TariffBody;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function tariffView(row: TariffRow): TariffView {
  return { ...row.definition, priceZone: row.definition.priceZone ?? null, id: row.id, siteId: row.site_id, version: row.version, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

/** The definition stored: the body's fields only, absent ones as null. */
function definitionOf(body: TariffBody): TariffBody {
  return {
    name: body.name,
    currency: body.currency,
    effectiveFrom: body.effectiveFrom,
    priceZone: body.priceZone ?? null,
    bands: body.bands,
    dailyMaximum: body.dailyMaximum ?? null,
    minimumCharge: body.minimumCharge ?? null,
    reservationFee: body.reservationFee ?? null,
  };
}

const DUPLICATE = (body: TariffBody) =>
  new DomainError('CONFLICT', `The site already has a tariff${body.priceZone ? ` for price zone ${body.priceZone}` : ''} effective from ${body.effectiveFrom}; change that one or pick another date.`);

/** Rate tables and each site's booking settings. */
@Injectable()
export class TariffsUseCase {
  constructor(@Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>) {}

  create(principal: Principal, siteId: string, body: TariffBody): Promise<TariffView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await this.assertSite(tx, siteId);
      const definition = definitionOf(body);
      const rows = await tx.$queryRaw<TariffRow[]>`
        INSERT INTO reservations.tariffs (id, tenant_id, site_id, price_zone, effective_from, name, currency, definition)
        VALUES (${randomUUID()}::uuid, ${principal.tenantId}::uuid, ${siteId}::uuid, ${definition.priceZone}, ${definition.effectiveFrom}::date,
                ${definition.name}, ${definition.currency}, ${JSON.stringify(definition)}::jsonb)
        ON CONFLICT DO NOTHING
        RETURNING id, site_id, definition, version, created_at, updated_at`;
      if (rows.length === 0) throw DUPLICATE(definition);
      return tariffView(rows[0]);
    });
  }

  list(principal: Principal, query: { siteId?: string; cursor?: string }, limit: number): Promise<Page<TariffView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const where = [...afterCursor('t', query.cursor)];
      if (query.siteId) where.push(Prisma.sql`t.site_id = ${query.siteId}::uuid`);
      const rows = await tx.$queryRaw<Array<TariffRow & { key_id: string; key_micros: string }>>`
        SELECT t.id, t.site_id, t.definition, t.version, t.created_at, t.updated_at, ${keysetColumns('t')}
          FROM reservations.tariffs t ${whereAll(where)} ORDER BY t.created_at, t.id LIMIT ${limit + 1}`;
      return toPage(rows, limit, tariffView);
    });
  }

  get(principal: Principal, id: string): Promise<TariffView> {
    return this.db.withTenant(principal.tenantId, async (tx) => tariffView(await this.find(tx, id)));
  }

  update(principal: Principal, id: string, body: TariffBody & { version?: number }): Promise<TariffView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const row = await this.find(tx, id, true);
      if (body.version !== undefined && body.version !== row.version) {
        throw new DomainError('CONFLICT', `The tariff is at version ${row.version}, not ${body.version}; read it again and retry.`, { version: row.version });
      }
      const definition = definitionOf(body);
      const updated = await tx.$queryRaw<TariffRow[]>`
        UPDATE reservations.tariffs t
           SET price_zone = ${definition.priceZone}, effective_from = ${definition.effectiveFrom}::date, name = ${definition.name},
               currency = ${definition.currency}, definition = ${JSON.stringify(definition)}::jsonb, version = t.version + 1, updated_at = now()
         WHERE t.id = ${id}::uuid
           AND NOT EXISTS (SELECT 1 FROM reservations.tariffs o WHERE o.id <> t.id AND o.site_id = t.site_id
                            AND o.price_zone IS NOT DISTINCT FROM ${definition.priceZone} AND o.effective_from = ${definition.effectiveFrom}::date)
        RETURNING t.id, t.site_id, t.definition, t.version, t.created_at, t.updated_at`;
      if (updated.length === 0) throw DUPLICATE(definition);
      return tariffView(updated[0]);
    });
  }

  /** Bookings keep the price they were made at; later quotes and bookings use what remains. */
  remove(principal: Principal, id: string): Promise<TariffView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const row = await this.find(tx, id, true);
      await tx.$executeRaw`DELETE FROM reservations.tariffs WHERE id = ${id}::uuid`;
      return tariffView(row);
    });
  }

  settings(principal: Principal, siteId: string): Promise<SiteSettingsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await this.assertSite(tx, siteId);
      const [row] = await tx.$queryRaw<Array<{ settings: SiteSettingsView; version: number }>>`
        SELECT settings, version FROM reservations.site_settings WHERE site_id = ${siteId}::uuid`;
      return { ...(row?.settings ?? DEFAULT_RESERVATION_SETTINGS), siteId, version: row?.version ?? 0 } as SiteSettingsView;
    });
  }

  putSettings(principal: Principal, siteId: string, body: PutSiteSettingsBody): Promise<SiteSettingsView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await this.assertSite(tx, siteId);
      const settings = resolveReservationSettings(body);
      const [current] = await tx.$queryRaw<Array<{ version: number }>>`SELECT version FROM reservations.site_settings WHERE site_id = ${siteId}::uuid FOR UPDATE`;
      const version = current?.version ?? 0;
      if (body.version !== undefined && body.version !== version) {
        throw new DomainError('CONFLICT', `The settings are at version ${version}, not ${body.version}; read them again and retry.`, { version });
      }
      await tx.$executeRaw`
        INSERT INTO reservations.site_settings (site_id, tenant_id, settings, version) VALUES (${siteId}::uuid, ${principal.tenantId}::uuid, ${JSON.stringify(settings)}::jsonb, 1)
        ON CONFLICT (site_id) DO UPDATE SET settings = EXCLUDED.settings, version = reservations.site_settings.version + 1, updated_at = now()`;
      return { ...settings, siteId, version: version + 1 } as SiteSettingsView;
    });
  }

  private async find(tx: TemplateSqlClient, id: string, forUpdate = false): Promise<TariffRow> {
    const lock = forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty;
    const [row] = await tx.$queryRaw<TariffRow[]>`SELECT id, site_id, definition, version, created_at, updated_at FROM reservations.tariffs WHERE id = ${id}::uuid ${lock}`;
    if (!row) throw new NotFoundError('Tariff', id);
    return row;
  }

  private async assertSite(tx: TemplateSqlClient, siteId: string): Promise<void> {
    const [site] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM reservations.sites WHERE id = ${siteId}::uuid AND removed_at IS NULL AND name <> ''`;
    if (!site) throw new NotFoundError('Site', siteId);
  }
}
