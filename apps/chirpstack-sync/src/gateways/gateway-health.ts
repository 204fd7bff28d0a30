import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ChirpStackGatewayListItem } from '@parking/chirpstack-records';
import { ChirpstackEvents, type GatewayState } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { OutboxWriter } from '@parking/messaging';
import { PeriodicLoop, RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import { callTargetOf, type OpenedConnection } from '../connections/connection-rows';
import { ConnectionsUseCase } from '../connections/connections.use-case';
import { allConnections, takeJobLease } from '../jobs/job-lease';
import { GatewayProvisioning } from './gateway-provisioning';
import { GATEWAY_COLUMNS, laterOf, type GatewayRow } from './gateway-rows';

export const GATEWAY_HEALTH_OPTIONS = Symbol('GATEWAY_HEALTH_OPTIONS');
export interface GatewayHealthOptions {
  /** How often ChirpStack's gateway states are read (GATEWAY_POLL_INTERVAL_SECONDS). */
  intervalMs: number;
  /** Off in tests that drive `tick` themselves. */
  autoStart?: boolean;
}

const LEASE = 'gateway-health';
const PAGE = 100;
/** ChirpStack lists no more than this many gateways of one tenant in a pass. */
const LIST_MAX = 20_000;

interface Judged {
  state: GatewayState;
  basis: 'chirpstack' | 'uplinks';
  chirpstackLastSeenAt: Date | null;
}

/**
 * A gateway's health by ChirpStack's rule: online while ChirpStack calls it online, or while it
 * relayed an uplink within twice its stats interval; offline once it was seen and neither holds;
 * unknown until first seen.
 */
export function judge(row: GatewayRow, listed: ChirpStackGatewayListItem | undefined, now: Date): Judged {
  const chirpstackLastSeenAt = listed?.lastSeenAt ?? row.chirpstack_last_seen_at;
  const uplinkFresh = row.last_uplink_at !== null && now.getTime() - row.last_uplink_at.getTime() <= 2 * row.stats_interval_seconds * 1000;
  if (listed?.state === 'online') return { state: 'online', basis: 'chirpstack', chirpstackLastSeenAt };
  if (uplinkFresh) return { state: 'online', basis: 'uplinks', chirpstackLastSeenAt };
  const seen = listed?.state === 'offline' || chirpstackLastSeenAt !== null || row.last_uplink_at !== null;
  return { state: seen ? 'offline' : 'unknown', basis: 'chirpstack', chirpstackLastSeenAt };
}

/**
 * Every `intervalMs`, one replica (holding the lease) reads each connection's gateway list from
 * ChirpStack, moves each gateway's state, and publishes chirpstack.gateway.online|offline.v1 in
 * the same transaction as the change. The change is conditional on the state read under a row
 * lock, so even two passes at once announce a change once. The pass also retries gateways
 * ChirpStack has not taken yet (and removals it has not done).
 */
@Injectable()
export class GatewayHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GatewayHealth');
  private readonly holder = `chirpstack-sync-${randomUUID()}`;
  private readonly loop = new PeriodicLoop('GatewayHealth', () => this.tick());

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly connections: ConnectionsUseCase,
    private readonly clients: ChirpStackClients,
    private readonly provisioning: GatewayProvisioning,
    private readonly outbox: OutboxWriter,
    @Inject(GATEWAY_HEALTH_OPTIONS) private readonly options: GatewayHealthOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.autoStart !== false) this.loop.start(this.options.intervalMs, 0);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: answers how many gateways changed state, or null when another replica holds the lease. */
  async tick(now = new Date()): Promise<number | null> {
    if (!(await takeJobLease(this.db, LEASE, this.holder, this.options.intervalMs * 3))) return null;
    const all = await allConnections(this.db);
    let changed = 0;
    for (const { tenant_id: tenantId, id } of all) {
      if (this.loop.isStopped) break;
      try {
        changed += await this.pass(tenantId, id, now);
      } catch (error) {
        this.logger.warn(`gateways of connection ${id}: ${(error as Error).message}`);
      }
    }
    return changed;
  }

  private async pass(tenantId: string, connectionId: string, now: Date): Promise<number> {
    const { connection, rows } = await this.db.withTenant(tenantId, async (tx) => ({
      connection: await this.connections.open(tx, connectionId),
      rows: await tx.$queryRaw<GatewayRow[]>`SELECT ${GATEWAY_COLUMNS} FROM chirpstack.gateways g WHERE g.connection_id = ${connectionId}::uuid`,
    }));
    for (const row of rows) if (row.removed || row.sync_status !== 'synced') await this.provisioning.attempt(tenantId, row.gateway_id);
    const watched = rows.filter((row) => !row.removed);
    if (watched.length === 0) return 0;
    const listed = await this.listAll(connection);
    let changed = 0;
    for (const row of watched) if (await this.apply(row, judge(row, listed.get(row.gateway_id), now), now)) changed += 1;
    return changed;
  }

  private async listAll(connection: OpenedConnection): Promise<Map<string, ChirpStackGatewayListItem>> {
    const client = this.clients.for(callTargetOf(connection));
    const found = new Map<string, ChirpStackGatewayListItem>();
    for (let offset = 0; offset < LIST_MAX; offset += PAGE) {
      const page = await client.listGateways(connection.chirpstack_tenant_id, { limit: PAGE, offset });
      for (const gateway of page.gateways) found.set(gateway.gatewayId, gateway);
      if (page.gateways.length < PAGE || found.size >= page.total) break;
    }
    return found;
  }

  /** Moves the gateway's state under its row lock; announces a change once. */
  private apply(row: GatewayRow, judged: Judged, now: Date): Promise<boolean> {
    return this.db.withTenant(row.tenant_id, async (tx) => {
      const [before] = await tx.$queryRaw<Array<{ state: GatewayState; last_uplink_at: Date | null }>>`
        SELECT state, last_uplink_at FROM chirpstack.gateways WHERE id = ${row.id}::uuid AND NOT removed FOR UPDATE`;
      if (!before) return false;
      await tx.$executeRaw`
        UPDATE chirpstack.gateways
           SET chirpstack_last_seen_at = ${judged.chirpstackLastSeenAt}::timestamptz, state = ${judged.state},
               state_changed_at = CASE WHEN state <> ${judged.state} THEN ${now}::timestamptz ELSE state_changed_at END
         WHERE id = ${row.id}::uuid`;
      if (before.state === judged.state || judged.state === 'unknown') return false;
      const definition = judged.state === 'online' ? ChirpstackEvents.GatewayOnlineV1 : ChirpstackEvents.GatewayOfflineV1;
      const lastSeenAt = laterOf(judged.chirpstackLastSeenAt, before.last_uplink_at);
      await this.outbox.append(tx, definition, {
        tenantId: row.tenant_id,
        aggregateId: row.gateway_id,
        data: {
          tenantId: row.tenant_id,
          gatewayId: row.gateway_id,
          siteId: row.site_id,
          connectionId: row.connection_id,
          lastSeenAt: lastSeenAt ? lastSeenAt.toISOString() : null,
          basis: judged.basis,
          at: now.toISOString(),
        },
      });
      return true;
    });
  }
}
