import { Inject, Injectable } from '@nestjs/common';
import type { ChirpStackGatewayListItem } from '@parking/chirpstack-records';
import type { DriftedField } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import type { ChirpStackClient } from '../chirpstack/chirpstack-client';
import type { OpenedConnection } from '../connections/connection-rows';
import { GatewayProvisioning } from '../gateways/gateway-provisioning';
import { GATEWAY_COLUMNS, type GatewayRow } from '../gateways/gateway-rows';
import { note, type Tally } from './run-rows';

const PAGE = 100;
/** ChirpStack lists no more than this many gateways of one tenant in a run. */
const LIST_MAX = 20_000;

/**
 * The LoRa gateway half of a reconciliation: ChirpStack's gateway list of the connection's
 * ChirpStack tenant against the gateways here in the connection. A synced gateway ChirpStack
 * lost is created again; one ChirpStack holds that is not registered here is reported; a name
 * or description that differs is set back in ChirpStack (platform-wins), taken here at once
 * (chirpstack-wins: this service owns the gateway registry), or reported.
 */
@Injectable()
export class GatewayReconciler {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly provisioning: GatewayProvisioning,
  ) {}

  async compare(client: ChirpStackClient, connection: OpenedConnection, tally: Tally): Promise<void> {
    const counts = tally.counts.gateways;
    const { ours, known } = await this.db.withTenant(connection.tenant_id, async (tx) => ({
      ours: await tx.$queryRaw<GatewayRow[]>`SELECT ${GATEWAY_COLUMNS} FROM chirpstack.gateways g WHERE NOT g.removed AND g.connection_id = ${connection.id}::uuid`,
      known: new Set((await tx.$queryRaw<Array<{ gateway_id: string }>>`SELECT gateway_id FROM chirpstack.gateways`).map((row) => row.gateway_id)),
    }));
    const listed = await this.listAll(client, connection.chirpstack_tenant_id);
    counts.inChirpstack = listed.size;
    counts.inRegistry = ours.length;

    for (const row of ours) {
      if (row.sync_status !== 'synced') continue; // on its way: the health pass's business
      const held = listed.get(row.gateway_id);
      if (!held) {
        counts.missing += 1;
        note(tally, { gatewayId: row.gateway_id, kind: 'missing', action: 'recreated' });
        await this.provisionAgain(row, true);
        continue;
      }
      const fields: DriftedField[] = [];
      if (held.name !== row.name) fields.push({ field: 'name', platform: row.name, chirpstack: held.name });
      if (held.description !== row.description) fields.push({ field: 'description', platform: row.description, chirpstack: held.description });
      if (fields.length === 0) continue;
      counts.drifted += 1;
      if (connection.drift_policy === 'report-only') {
        note(tally, { gatewayId: row.gateway_id, kind: 'drift', action: 'reported', fields });
        continue;
      }
      if (connection.drift_policy === 'platform-wins') await this.provisionAgain(row, false);
      else await this.adopt(row, held);
      counts.fixed += 1;
      note(tally, { gatewayId: row.gateway_id, kind: 'drift', action: connection.drift_policy === 'platform-wins' ? 'fixed' : 'adopted', fields });
    }
    for (const gatewayId of listed.keys()) {
      if (known.has(gatewayId)) continue;
      counts.unknown += 1;
      note(tally, { gatewayId, kind: 'orphan', action: 'reported' });
    }
  }

  private async listAll(client: ChirpStackClient, chirpstackTenantId: string): Promise<Map<string, ChirpStackGatewayListItem>> {
    const found = new Map<string, ChirpStackGatewayListItem>();
    for (let offset = 0; offset < LIST_MAX; offset += PAGE) {
      const page = await client.listGateways(chirpstackTenantId, { limit: PAGE, offset });
      for (const gateway of page.gateways) found.set(gateway.gatewayId, gateway);
      if (page.gateways.length < PAGE || found.size >= page.total) break;
    }
    return found;
  }

  /** ChirpStack is brought to the gateway again: created (lost) or updated (drifted). */
  private async provisionAgain(row: GatewayRow, lost: boolean): Promise<void> {
    await this.db.withTenant(row.tenant_id, (tx) => tx.$executeRaw`
      UPDATE chirpstack.gateways SET sync_status = 'pending', synced_version = ${lost ? null : row.synced_version}::int, updated_at = now()
       WHERE id = ${row.id}::uuid AND version = ${row.version}::int`);
    await this.provisioning.attempt(row.tenant_id, row.gateway_id);
  }

  /** chirpstack-wins: ChirpStack's name and description become the gateway's, unless it changed meanwhile. */
  private async adopt(row: GatewayRow, held: ChirpStackGatewayListItem): Promise<void> {
    await this.db.withTenant(row.tenant_id, (tx) => tx.$executeRaw`
      UPDATE chirpstack.gateways
         SET name = ${held.name || row.name}, description = ${held.description}, version = version + 1, synced_version = version + 1, updated_at = now()
       WHERE id = ${row.id}::uuid AND version = ${row.version}::int`);
  }
}
