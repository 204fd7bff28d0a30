import { Inject, Injectable, Logger } from '@nestjs/common';
import { Prisma } from '@parking/chirpstack-sync/data-access';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import { callErrorOf } from '../chirpstack/chirpstack-errors';
import { callTargetOf } from '../connections/connection-rows';
import { ConnectionsUseCase } from '../connections/connections.use-case';
import { GATEWAY_COLUMNS, type GatewayRow } from './gateway-rows';

/**
 * Brings ChirpStack to one gateway as it is here: created (updated when ChirpStack holds it
 * already), updated, or deleted once removed here (a removed gateway's row goes once ChirpStack
 * has forgotten it). The call happens outside any transaction; the outcome is kept only if the
 * gateway did not change meanwhile. A failure leaves the gateway `pending` (ChirpStack out of
 * reach) or `failed`, and the health job tries again on its next pass.
 */
@Injectable()
export class GatewayProvisioning {
  private readonly logger = new Logger('GatewayProvisioning');

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly connections: ConnectionsUseCase,
    private readonly clients: ChirpStackClients,
  ) {}

  async attempt(tenantId: string, gatewayId: string): Promise<void> {
    const found = await this.db.withTenant(tenantId, async (tx) => {
      const [row] = await tx.$queryRaw<GatewayRow[]>`SELECT ${GATEWAY_COLUMNS} FROM chirpstack.gateways g WHERE g.gateway_id = ${gatewayId}`;
      if (!row || row.connection_id === null) return null;
      const connection = await this.connections.openIfExists(tx, row.connection_id);
      if (!connection && row.removed) {
        // Nothing left to reach: the removal is done here.
        await tx.$executeRaw`DELETE FROM chirpstack.gateways WHERE gateway_id = ${gatewayId} AND removed`;
        return null;
      }
      if (!connection) {
        await tx.$executeRaw`
          UPDATE chirpstack.gateways SET sync_status = 'failed', sync_reason = ${`Its ChirpStack connection ${row.connection_id} was removed; give the gateway another connection (PUT with connectionId).`}, updated_at = now()
           WHERE gateway_id = ${gatewayId}`;
        return null;
      }
      return { row, connection };
    });
    if (!found) return;
    const { row, connection } = found;
    const client = this.clients.for(callTargetOf(connection));
    const wanted = { gatewayId, name: row.name, description: row.description, tenantId: connection.chirpstack_tenant_id, tags: row.tags, statsInterval: row.stats_interval_seconds };
    let failure: { status: 'pending' | 'failed'; reason: string } | null = null;
    try {
      if (row.removed) await ignoring('not_found', 'GatewayService.Delete', () => client.deleteGateway(gatewayId));
      else if (row.synced_version === null) {
        const created = await ignoring('already_exists', 'GatewayService.Create', () => client.createGateway(wanted));
        if (!created) await client.updateGateway(wanted);
      } else {
        const updated = await ignoring('not_found', 'GatewayService.Update', () => client.updateGateway(wanted));
        if (!updated) await client.createGateway(wanted);
      }
    } catch (caught) {
      const error = callErrorOf('GatewayService', caught);
      const reachable = !(error.transient || error.failure === 'circuit_open');
      failure = { status: reachable ? 'failed' : 'pending', reason: error.message };
      if (reachable) this.logger.warn(`gateway ${gatewayId} (connection ${connection.id}): ${error.message}`);
    }
    await this.db.withTenant(tenantId, async (tx) => {
      if (!failure && row.removed) {
        await tx.$executeRaw`DELETE FROM chirpstack.gateways WHERE gateway_id = ${gatewayId} AND removed`;
        await tx.$executeRaw`DELETE FROM chirpstack.gateway_uplinks_hourly WHERE gateway_id = ${gatewayId}`;
        return;
      }
      await tx.$executeRaw`
        UPDATE chirpstack.gateways
           SET sync_status = ${failure ? failure.status : 'synced'}, sync_reason = ${failure ? failure.reason : null},
               sync_attempts = ${failure ? Prisma.sql`sync_attempts + 1` : Prisma.sql`0`},
               synced_version = ${failure ? Prisma.sql`synced_version` : Prisma.sql`${row.version}::int`}, updated_at = now()
         WHERE gateway_id = ${gatewayId} AND version = ${row.version}::int AND removed = ${row.removed}`;
    });
  }
}

/** Runs a call; answers false when it failed only in the `failure` way given (which then counts as done). */
async function ignoring(failure: 'not_found' | 'already_exists', method: string, call: () => Promise<void>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (callErrorOf(method, error).failure === failure) return false;
    throw error;
  }
}
