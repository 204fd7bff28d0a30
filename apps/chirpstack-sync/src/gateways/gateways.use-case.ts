import { Inject, Injectable } from '@nestjs/common';
import { Prisma } from '@parking/chirpstack-sync/data-access';
import type { CreateGatewayBody, GatewayView, ListGatewaysRequest, Page, Principal, UpdateGatewayBody } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { DomainError, NotFoundError, ValidationFailedError } from '@parking/problem-details';
import { afterCursor, keysetColumns, RAW_TENANT_DATABASE, toPage, whereAll } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { GatewayProvisioning } from './gateway-provisioning';
import { GATEWAY_COLUMNS, gatewayView, type GatewayRow } from './gateway-rows';

const GATEWAY_TAKEN = (gatewayId: string) =>
  new DomainError('CONFLICT', `The gateway ${gatewayId} is registered already (by this or another tenant); check the EUI on its label.`, undefined, {
    errors: [{ field: 'gatewayId', message: 'is registered already' }],
  });

/**
 * LoRa gateways of the tenant's sites. A change is written first, then ChirpStack is brought
 * there in the same request; when ChirpStack cannot take it now, the answer says so in `sync`
 * and the health job tries again.
 */
@Injectable()
export class GatewaysUseCase {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly provisioning: GatewayProvisioning,
  ) {}

  async create(principal: Principal, body: CreateGatewayBody): Promise<GatewayView> {
    await this.db.withTenant(principal.tenantId, async (tx) => {
      await this.checkSite(tx, body.siteId);
      const connectionId = await this.connectionFor(tx, body.connectionId);
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO chirpstack.gateways (id, tenant_id, gateway_id, site_id, connection_id, name, description, tags, stats_interval_seconds)
        VALUES (${randomUUID()}::uuid, ${principal.tenantId}::uuid, ${body.gatewayId}, ${body.siteId}::uuid, ${connectionId}::uuid, ${body.name},
                ${body.description ?? ''}, ${JSON.stringify(body.tags ?? {})}::jsonb, ${body.statsIntervalSeconds ?? 30}::int)
        ON CONFLICT (gateway_id) DO NOTHING RETURNING id`;
      if (inserted.length === 0) throw GATEWAY_TAKEN(body.gatewayId);
    });
    await this.provisioning.attempt(principal.tenantId, body.gatewayId);
    return this.get(principal, body.gatewayId);
  }

  list(principal: Principal, query: ListGatewaysRequest, limit: number): Promise<Page<GatewayView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const conditions = [
        Prisma.sql`NOT g.removed`,
        ...afterCursor('g', query.cursor),
        ...(query.siteId ? [Prisma.sql`g.site_id = ${query.siteId}::uuid`] : []),
        ...(query.state ? [Prisma.sql`g.state = ${query.state}`] : []),
      ];
      const rows = await tx.$queryRaw<Array<GatewayRow & { key_id: string; key_micros: string }>>`
        SELECT ${GATEWAY_COLUMNS}, ${keysetColumns('g')} FROM chirpstack.gateways g ${whereAll(conditions)}
         ORDER BY g.created_at, g.id LIMIT ${limit + 1}`;
      return toPage(rows, limit, gatewayView);
    });
  }

  get(principal: Principal, gatewayId: string): Promise<GatewayView> {
    return this.db.withTenant(principal.tenantId, async (tx) => gatewayView(await this.find(tx, gatewayId)));
  }

  async update(principal: Principal, gatewayId: string, body: UpdateGatewayBody): Promise<GatewayView> {
    await this.db.withTenant(principal.tenantId, async (tx) => {
      const row = await this.find(tx, gatewayId, true);
      if (body.version !== undefined && body.version !== row.version) {
        throw new DomainError('CONFLICT', `The gateway is at version ${row.version}, not ${body.version}; read it again and retry.`, { version: row.version });
      }
      await this.checkSite(tx, body.siteId);
      const connectionId = body.connectionId ? await this.connectionFor(tx, body.connectionId) : row.connection_id;
      const [current] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM chirpstack.connections WHERE id = ${row.connection_id}::uuid`;
      // A gateway's connection may change while ChirpStack does not hold it, or once its connection is gone.
      if (connectionId !== row.connection_id && row.synced_version !== null && current) {
        throw new ValidationFailedError([{ field: 'connectionId', message: 'cannot change once the gateway is in ChirpStack; remove it and add it again' }]);
      }
      await tx.$executeRaw`
        UPDATE chirpstack.gateways
           SET site_id = ${body.siteId}::uuid, connection_id = ${connectionId}::uuid, name = ${body.name}, description = ${body.description ?? ''},
               tags = ${JSON.stringify(body.tags ?? {})}::jsonb, stats_interval_seconds = ${body.statsIntervalSeconds ?? 30}::int,
               version = version + 1, sync_status = 'pending', sync_reason = NULL, updated_at = now()
         WHERE gateway_id = ${gatewayId}`;
    });
    await this.provisioning.attempt(principal.tenantId, gatewayId);
    return this.get(principal, gatewayId);
  }

  /** Answers the gateway as it was; ChirpStack forgets it now, or on the health job's next pass. */
  async remove(principal: Principal, gatewayId: string): Promise<GatewayView> {
    const removed = await this.db.withTenant(principal.tenantId, async (tx) => {
      const row = await this.find(tx, gatewayId, true);
      // Deleted in ChirpStack even if we never saw it synced: a create whose answer was lost may have reached it.
      await tx.$executeRaw`UPDATE chirpstack.gateways SET removed = true, version = version + 1, sync_status = 'pending', updated_at = now() WHERE gateway_id = ${gatewayId}`;
      return row;
    });
    await this.provisioning.attempt(principal.tenantId, gatewayId);
    return gatewayView(removed);
  }

  async find(tx: TemplateSqlClient, gatewayId: string, forUpdate = false): Promise<GatewayRow> {
    const lock = forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty;
    const [row] = await tx.$queryRaw<GatewayRow[]>`SELECT ${GATEWAY_COLUMNS} FROM chirpstack.gateways g WHERE g.gateway_id = ${gatewayId} AND NOT g.removed ${lock}`;
    if (!row) throw new NotFoundError('Gateway', gatewayId);
    return row;
  }

  private async checkSite(tx: TemplateSqlClient, siteId: string): Promise<void> {
    const [site] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM chirpstack.sites WHERE id = ${siteId}::uuid AND NOT removed`;
    if (!site) throw new ValidationFailedError([{ field: 'siteId', message: 'names no site of the tenant (a site created a moment ago is known within seconds)' }]);
  }

  /** The connection named (another tenant's is unknown), else the tenant's default. */
  private async connectionFor(tx: TemplateSqlClient, connectionId: string | undefined): Promise<string> {
    const [row] = connectionId
      ? await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM chirpstack.connections WHERE id = ${connectionId}::uuid`
      : await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM chirpstack.connections WHERE is_default`;
    if (!row) {
      throw new ValidationFailedError([
        { field: 'connectionId', message: connectionId ? 'names no ChirpStack connection of the tenant' : 'is needed: the tenant has no ChirpStack connection; add one with POST /api/v1/chirpstack/connections' },
      ]);
    }
    return row.id;
  }
}
