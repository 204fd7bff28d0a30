import { Prisma } from '@parking/chirpstack-sync/data-access';
import type { DeviceSyncStatus, GatewayState, GatewayView } from '@parking/contracts';

export interface GatewayRow {
  id: string;
  tenant_id: string;
  gateway_id: string;
  site_id: string;
  connection_id: string | null;
  name: string;
  description: string;
  tags: Record<string, string>;
  stats_interval_seconds: number;
  version: number;
  removed: boolean;
  sync_status: DeviceSyncStatus;
  sync_reason: string | null;
  sync_attempts: number;
  synced_version: number | null;
  state: GatewayState;
  state_changed_at: Date | null;
  chirpstack_last_seen_at: Date | null;
  last_uplink_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const GATEWAY_COLUMNS = Prisma.raw(`g.id, g.tenant_id, g.gateway_id, g.site_id, g.connection_id, g.name, g.description, g.tags, g.stats_interval_seconds,
  g.version, g.removed, g.sync_status, g.sync_reason, g.sync_attempts, g.synced_version, g.state, g.state_changed_at,
  g.chirpstack_last_seen_at, g.last_uplink_at, g.created_at, g.updated_at`);

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null);

/** The later of two moments, either possibly unknown. */
export function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

export function gatewayView(row: GatewayRow): GatewayView {
  return {
    gatewayId: row.gateway_id,
    siteId: row.site_id,
    connectionId: row.connection_id,
    name: row.name,
    description: row.description,
    tags: row.tags,
    statsIntervalSeconds: row.stats_interval_seconds,
    state: row.state,
    stateChangedAt: iso(row.state_changed_at),
    lastSeenAt: iso(laterOf(row.chirpstack_last_seen_at, row.last_uplink_at)),
    sync: { status: row.sync_status, reason: row.sync_reason, attempts: row.sync_attempts },
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
