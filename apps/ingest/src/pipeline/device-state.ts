import type { SqlClient } from '@parking/database';
import type { SessionState } from './session-rules';

/** What the pipeline reads of a device, locked for the rest of the transaction. */
export interface LockedDevice {
  id: string;
  tenantId: string;
  devEui: string;
  codec: string;
  kind: 'sensor' | 'display';
  /** The ChirpStack application the device names; null: none (see uplink-routing.ts). */
  applicationId: string | null;
  state: SessionState;
}

/**
 * Locks the devices in devEUI order (so two replicas locking overlapping sets cannot
 * deadlock) and returns them by devEUI. RLS shows only the transaction's tenant's devices.
 */
export async function lockDevices(tx: SqlClient, devEuis: string[]): Promise<Map<string, LockedDevice>> {
  if (devEuis.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<
    Array<{ id: string; tenant_id: string; dev_eui: string; codec: string; kind: 'sensor' | 'display'; application_id: string | null; session: number; last_f_cnt: number | null; dev_addr: string | null }>
  >(
    `SELECT id::text, tenant_id::text, dev_eui, codec, kind, chirpstack_application_id AS application_id, session, last_f_cnt::float8 AS last_f_cnt, dev_addr
       FROM ingest.devices WHERE dev_eui = ANY ($1::text[]) ORDER BY dev_eui FOR UPDATE`,
    [...new Set(devEuis)],
  );
  return new Map(
    rows.map((r) => [
      r.dev_eui,
      {
        id: r.id,
        tenantId: r.tenant_id,
        devEui: r.dev_eui,
        codec: r.codec,
        kind: r.kind,
        applicationId: r.application_id,
        state: { session: r.session, lastFCnt: r.last_f_cnt, devAddr: r.dev_addr },
      },
    ]),
  );
}

/** Health columns the pipeline writes besides the session ones, with their SQL types. */
const HEALTH_COLUMNS = {
  battery_percent: 'real',
  battery_voltage: 'real',
  temperature_c: 'real',
  margin_db: 'int',
  rssi: 'int',
  snr: 'real',
  latitude: 'float8',
  longitude: 'float8',
  altitude: 'float8',
  location_source: 'text',
  located_at: 'timestamptz',
  last_status_at: 'timestamptz',
} as const;

export type HealthColumn = keyof typeof HEALTH_COLUMNS;

/** What one batch changes of one device's health; the newest value of each column wins. */
export class DeviceHealthUpdate {
  lastSeenAt?: Date;
  uplinks = 0;
  session?: SessionState;
  readonly set = new Map<HealthColumn, unknown>();

  seen(at: Date): void {
    if (!this.lastSeenAt || at > this.lastSeenAt) this.lastSeenAt = at;
  }

  column(name: HealthColumn, value: unknown): void {
    this.set.set(name, value);
  }

  toJson(id: string): Record<string, unknown> {
    return {
      id,
      ...(this.lastSeenAt ? { last_seen_at: this.lastSeenAt.toISOString() } : {}),
      uplinks: this.uplinks,
      ...(this.session ? { session: this.session.session, last_f_cnt: this.session.lastFCnt, dev_addr: this.session.devAddr } : {}),
      ...Object.fromEntries(this.set),
    };
  }
}

const assignments = [
  `last_seen_at = CASE WHEN v.j ? 'last_seen_at' THEN GREATEST(d.last_seen_at, (v.j->>'last_seen_at')::timestamptz) ELSE d.last_seen_at END`,
  `uplink_count = d.uplink_count + (v.j->>'uplinks')::bigint`,
  `session = CASE WHEN v.j ? 'session' THEN (v.j->>'session')::int ELSE d.session END`,
  `last_f_cnt = CASE WHEN v.j ? 'session' THEN (v.j->>'last_f_cnt')::bigint ELSE d.last_f_cnt END`,
  `dev_addr = CASE WHEN v.j ? 'session' THEN v.j->>'dev_addr' ELSE d.dev_addr END`,
  ...Object.entries(HEALTH_COLUMNS).map(([name, type]) => `${name} = CASE WHEN v.j ? '${name}' THEN (v.j->>'${name}')::${type} ELSE d.${name} END`),
].join(',\n       ');

/** One UPDATE for every device the batch touched (they are locked since lockDevices). */
export async function writeDeviceHealth(tx: SqlClient, updates: Array<{ id: string; update: DeviceHealthUpdate }>): Promise<void> {
  if (updates.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE ingest.devices d SET
       ${assignments}
     FROM jsonb_array_elements($1::jsonb) AS v(j)
     WHERE d.id = (v.j->>'id')::uuid AND d.id = ANY ($2::uuid[])`,
    JSON.stringify(updates.map(({ id, update }) => update.toJson(id))),
    // Repeats the ids as an array the planner can see, so it looks them up by primary key.
    updates.map(({ id }) => id),
  );
}
