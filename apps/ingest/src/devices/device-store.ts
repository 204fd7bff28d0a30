import { IngestEvents } from '@parking/contracts';
import { Device, IngestTransaction, Prisma } from '@parking/ingest/data-access';
import { OutboxWriter } from '@parking/messaging';
import { randomUUID } from 'node:crypto';
import { announce } from './device-events';
import { DeviceFields } from './device-fields';

/**
 * Inserts the devices and answers the ids of those that went in, by devEUI. A devEUI any tenant already
 * holds is skipped, not an error (ON CONFLICT DO NOTHING: the unique index sees every
 * tenant's rows, RLS lets us see only ours), so the transaction stays usable and the
 * caller decides what a skipped one means.
 */
export async function insertDevices(tx: IngestTransaction, tenantId: string, devices: DeviceFields[], now: Date): Promise<Map<string, string>> {
  if (devices.length === 0) return new Map();
  const rows = devices.map((d, ord) => ({
    id: randomUUID(),
    ord,
    dev_eui: d.devEui,
    kind: d.kind,
    codec: d.codec,
    name: d.name,
    chirpstack_application_id: d.chirpstackApplicationId,
    chirpstack_profile_id: d.chirpstackProfileId,
    heartbeat_seconds: d.heartbeatSeconds,
    tags: d.tags,
    description: d.description,
    join_eui: d.joinEui,
  }));
  const inserted = await tx.$queryRaw<Array<{ id: string; dev_eui: string }>>`
    INSERT INTO ingest.devices (id, tenant_id, dev_eui, kind, codec, name, chirpstack_application_id, chirpstack_profile_id,
                                heartbeat_seconds, tags, description, join_eui, created_at, updated_at)
    SELECT r.id, ${tenantId}::uuid, r.dev_eui, r.kind, r.codec, r.name, r.chirpstack_application_id, r.chirpstack_profile_id,
           r.heartbeat_seconds, r.tags, r.description, r.join_eui,
           -- One microsecond apart: a list shows an import in the order of its file.
           ${now}::timestamptz + r.ord * interval '1 microsecond', ${now}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
           AS r(id uuid, ord int, dev_eui text, kind text, codec text, name text, chirpstack_application_id text,
                chirpstack_profile_id text, heartbeat_seconds int, tags jsonb, description text, join_eui text)
    ON CONFLICT (dev_eui) DO NOTHING
    RETURNING id::text AS id, dev_eui`;
  await forgetChirpstackOrphans(tx, tenantId, inserted.map((row) => row.dev_eui));
  return new Map(inserted.map((row) => [row.dev_eui, row.id]));
}

/**
 * Changes the fields of `device` (read in this transaction) whose values differ, grows its version
 * and announces it (ingest.device.updated.v1): an API update and ChirpStack's adopted drift alike.
 * Answers the updated device; `device` itself when nothing differs (no new version, no event);
 * undefined when it changed since it was read.
 */
export async function updateDevice(
  outbox: OutboxWriter,
  tx: IngestTransaction,
  device: Device,
  fields: Partial<Omit<DeviceFields, 'devEui'>>,
  now = new Date(),
): Promise<Device | undefined> {
  const changed = Object.entries(fields).filter(([field, value]) => JSON.stringify(device[field as keyof Device]) !== JSON.stringify(value));
  if (changed.length === 0) return device;
  // Guarded by the version read: a concurrent change makes this match nothing.
  const { count } = await tx.device.updateMany({
    where: { id: device.id, version: device.version },
    data: { ...(Object.fromEntries(changed) as Prisma.DeviceUpdateManyMutationInput), version: { increment: 1 }, updatedAt: now },
  });
  if (count === 0) return undefined;
  const updated = await tx.device.findUniqueOrThrow({ where: { id: device.id } });
  await announce(outbox, tx, IngestEvents.DeviceUpdatedV1, updated, now);
  return updated;
}

/**
 * Registered in the tenant, the devEUIs are no ChirpStack orphans of it any more. The tenant is
 * named as well as RLS applying: a platform admin's transaction sees every tenant's rows.
 */
export async function forgetChirpstackOrphans(tx: IngestTransaction, tenantId: string, devEuis: string[]): Promise<void> {
  if (devEuis.length === 0) return;
  await tx.$executeRaw`DELETE FROM ingest.chirpstack_orphans WHERE tenant_id = ${tenantId}::uuid AND dev_eui = ANY (${devEuis}::text[])`;
}

/**
 * Of `devEuis` (just inserted for `tenantId`), those another tenant's integration has sent
 * without registering them (its orphan sources): registering them needs a platform admin, who
 * assigns the orphan (DEVICE_CLAIM_REQUIRED). The caller's own and the platform's orphan
 * sources of them are forgotten meanwhile: registered here, they are no orphans of those
 * sources and no longer count against their cap. A refusal rolls that back with the rest.
 */
export async function claimedElsewhere(tx: IngestTransaction, tenantId: string, devEuis: string[]): Promise<Set<string>> {
  if (devEuis.length === 0) return new Set();
  // Orphan sources belong to no tenant: the device-lookup purpose opens them, for these statements only.
  await tx.$executeRawUnsafe(`SELECT set_config('app.system_purpose', 'device-lookup', true)`);
  const rows = await tx.$queryRawUnsafe<Array<{ dev_eui: string }>>(
    `WITH forgotten AS (
       DELETE FROM ingest.orphan_sources WHERE dev_eui = ANY ($1::text[]) AND source_tenant_id IN ($2::uuid, $3::uuid)
     )
     SELECT DISTINCT dev_eui FROM ingest.orphan_sources
      WHERE dev_eui = ANY ($1::text[]) AND source_tenant_id NOT IN ($2::uuid, $3::uuid)`,
    devEuis,
    tenantId,
    IngestEvents.PLATFORM_TENANT_ID,
  );
  await tx.$executeRawUnsafe(`SELECT set_config('app.system_purpose', '', true)`);
  return new Set(rows.map((row) => row.dev_eui));
}
