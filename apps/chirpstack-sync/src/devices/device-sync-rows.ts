import { Prisma } from '@parking/chirpstack-sync/data-access';
import type { DeviceSyncStatus, DeviceSyncView } from '@parking/contracts';

/** A device as the sync keeps it: the registry's wanted state and how far ChirpStack has got. */
export interface DeviceSyncRow {
  tenant_id: string;
  dev_eui: string;
  device_id: string;
  name: string;
  description: string | null;
  codec: string;
  application_id: string | null;
  profile_id: string | null;
  join_eui: string | null;
  tags: Record<string, string>;
  device_version: number;
  removed: boolean;
  connection_id: string | null;
  status: DeviceSyncStatus;
  reason: string | null;
  attempts: number;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  synced_version: number | null;
  synced_at: Date | null;
  keys_sealed: string | null;
  keys_pending: boolean;
  keys_synced_at: Date | null;
  generation: number;
}

export const DEVICE_SYNC_COLUMNS = Prisma.raw(`tenant_id, dev_eui, device_id, name, description, codec, application_id, profile_id, join_eui, tags,
  device_version, removed, connection_id, status, reason, attempts, last_attempt_at, next_attempt_at, synced_version, synced_at,
  keys_sealed, keys_pending, keys_synced_at, generation`);

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null);

export function deviceSyncView(row: DeviceSyncRow): DeviceSyncView {
  return {
    devEui: row.dev_eui,
    deviceId: row.device_id,
    connectionId: row.connection_id,
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    lastAttemptAt: iso(row.last_attempt_at),
    nextAttemptAt: iso(row.next_attempt_at),
    syncedAt: iso(row.synced_at),
    deviceVersion: row.device_version,
    syncedVersion: row.synced_version,
    removed: row.removed,
    keys: row.keys_sealed === null ? 'none' : row.keys_pending ? 'pending' : 'synced',
    keysSyncedAt: iso(row.keys_synced_at),
  };
}
