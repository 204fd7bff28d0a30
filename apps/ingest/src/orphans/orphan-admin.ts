import { randomUUID } from 'node:crypto';
import { type PlanId, AdminAssignOrphanResponse, IngestEvents, OrphanView, Page, Principal, RAW_WEBHOOK_HEADERS, rawWebhookSubject } from '@parking/contracts';
import type { Device, IngestDatabase, IngestTransaction } from '@parking/ingest/data-access';
import type { OutboxWriter } from '@parking/messaging';
import { DomainError, NotFoundError, ValidationFailedError } from '@parking/problem-details';
import { defaultTenantPlanOf, requirePlatformAdmin } from '@parking/service-runtime';
import { announce } from '../devices/device-events';
import { forgetChirpstackOrphans } from '../devices/device-store';
import { assertWithinDeviceLimit, lockTenantDevices } from '../tenant-limits/device-limit';
import type { RawWebhookRepublisher } from './raw-webhook-republisher';

export interface AssignOrphan {
  devEui: string;
  tenantId: string;
  codec: string;
  name: string;
  kind: 'sensor' | 'display';
  /** When another tenant holds the devEUI: take it from there (DEVICE_EXISTS otherwise). */
  transfer?: boolean;
}

interface KeptEvent {
  id: string;
  subject: string;
  source_tenant_id: string | null;
  headers: Record<string, string>;
  body: string;
}

interface OrphanRow {
  dev_eui: string;
  first_seen_at: Date;
  last_seen_at: Date;
  count: number;
  last_event: string;
  last_payload: Record<string, unknown>;
  last_source_tenant_id: string | null;
  kept_events: number;
  sources: Array<{ tenantId: string; count: number; firstSeenAt: string; lastSeenAt: string }> | null;
}

/** Orphan devices for platform admins: list them, and give one to a tenant with its history. */
export class OrphanAdmin {
  constructor(
    private readonly db: IngestDatabase,
    private readonly outbox: OutboxWriter,
    private readonly republisher: RawWebhookRepublisher,
    /** DEFAULT_TENANT_PLAN: the limits of a tenant whose own this service has not heard yet. */
    private readonly defaultPlan: PlanId = defaultTenantPlanOf(),
  ) {}

  /** Newest `lastSeenAt` first; the cursor is the last row's (lastSeenAt, devEui). */
  async list(principal: Principal, reason: string, page: { cursor?: string; limit: number }): Promise<Page<OrphanView>> {
    requirePlatformAdmin(principal);
    const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    return this.db.asPlatformAdmin(principal.actor, reason, async (tx) => {
      const rows = await tx.$queryRawUnsafe<OrphanRow[]>(
        `SELECT o.dev_eui, o.first_seen_at, o.last_seen_at, o.count::int AS count, o.last_event, o.last_payload,
                o.last_source_tenant_id::text AS last_source_tenant_id,
                (SELECT count(*)::int FROM ingest.orphan_events e WHERE e.dev_eui = o.dev_eui) AS kept_events,
                (SELECT json_agg(json_build_object('tenantId', s.source_tenant_id, 'count', s.count, 'firstSeenAt', s.first_seen_at, 'lastSeenAt', s.last_seen_at)
                                 ORDER BY s.last_seen_at DESC, s.source_tenant_id)
                   FROM ingest.orphan_sources s WHERE s.dev_eui = o.dev_eui) AS sources
           FROM ingest.orphans o
          WHERE $1::timestamptz IS NULL OR (o.last_seen_at, o.dev_eui) < ($1::timestamptz, $2::text)
          ORDER BY o.last_seen_at DESC, o.dev_eui DESC
          LIMIT $3::int`,
        after?.lastSeenAt ?? null,
        after?.devEui ?? null,
        page.limit + 1,
      );
      const items = rows.slice(0, page.limit).map(orphanView);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(last.lastSeenAt, last.devEui) : null };
    });
  }

  /**
   * Registers the devEUI in the tenant (or finds it already there after an interrupted
   * assignment), replays the kept events that the platform secret or that tenant sent, in
   * the order they arrived, then forgets them and the orphan. This is how a claim is approved
   * (registration answers DEVICE_CLAIM_REQUIRED while another tenant's integration holds the
   * devEUI as an orphan); with `transfer`, a devEUI another tenant registered is moved.
   */
  async assign(principal: Principal, reason: string, input: AssignOrphan): Promise<AdminAssignOrphanResponse> {
    requirePlatformAdmin(principal);
    const { device, replay, discard } = await this.db.asPlatformAdmin(principal.actor, reason, async (tx) => {
      const orphan = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ingest.orphans WHERE dev_eui = $1 FOR UPDATE`, input.devEui);
      if (orphan.length === 0) throw new NotFoundError('Orphan device', input.devEui);
      const device = await this.registered(tx, input);
      const kept = await tx.$queryRawUnsafe<KeptEvent[]>(
        `SELECT id::text, subject, source_tenant_id::text AS source_tenant_id, headers, encode(body, 'base64') AS body
           FROM ingest.orphan_events WHERE dev_eui = $1 ORDER BY received_at, id`,
        input.devEui,
      );
      // Another tenant's integration sent these: its data must not flow to this tenant.
      const replay = kept.filter((e) => e.source_tenant_id === null || e.source_tenant_id === input.tenantId);
      const discard = kept.filter((e) => !replay.includes(e));
      return { device, replay, discard };
    });

    for (const event of replay) {
      const kind = event.headers[RAW_WEBHOOK_HEADERS.event] ?? event.headers[RAW_WEBHOOK_HEADERS.event.toLowerCase()] ?? 'up';
      const headers = { ...event.headers, [RAW_WEBHOOK_HEADERS.tenantId]: input.tenantId };
      await this.republisher.publish(rawWebhookSubject(kind, input.tenantId), Buffer.from(event.body, 'base64'), headers, `orphan:${input.devEui}:${event.id}`);
    }

    await this.db.asPlatformAdmin(principal.actor, `${reason} (orphan ${input.devEui} replayed)`, async (tx) => {
      const ids = [...replay, ...discard].map((e) => e.id);
      await tx.$executeRawUnsafe(`DELETE FROM ingest.orphan_events WHERE id = ANY ($1::bigint[])`, ids);
      // No orphan of the tenant it went to, nor of the platform, any more.
      await tx.$executeRawUnsafe(
        `DELETE FROM ingest.orphan_sources WHERE dev_eui = $1 AND source_tenant_id IN ($2::uuid, $3::uuid)`,
        input.devEui,
        input.tenantId,
        IngestEvents.PLATFORM_TENANT_ID,
      );
      // Events recorded meanwhile keep the orphan; the next assignment replays them.
      await tx.$executeRawUnsafe(
        `DELETE FROM ingest.orphans o WHERE o.dev_eui = $1 AND NOT EXISTS (SELECT 1 FROM ingest.orphan_events e WHERE e.dev_eui = o.dev_eui)`,
        input.devEui,
      );
    });
    return { deviceId: device.id, devEui: input.devEui, tenantId: input.tenantId, replayed: replay.length, discarded: discard.length };
  }

  private async registered(tx: IngestTransaction, input: AssignOrphan): Promise<Device> {
    const existing = await tx.device.findUnique({ where: { devEui: input.devEui } });
    const now = new Date();
    if (existing) {
      if (existing.tenantId === input.tenantId) return existing;
      if (!input.transfer) {
        throw new DomainError(
          'DEVICE_EXISTS',
          `The devEUI ${input.devEui} is registered to another tenant. If ${input.tenantId} owns the device, assign it again with "transfer": true to remove it there and register it here.`,
          { devEui: input.devEui },
        );
      }
      // The holder loses the device as if it had removed it: occupancy takes it off its space.
      await tx.device.delete({ where: { id: existing.id } });
      await announce(this.outbox, tx, IngestEvents.DeviceRemovedV1, existing, now);
    }
    await lockTenantDevices(tx, input.tenantId);
    const device = await tx.device.create({
      data: { id: randomUUID(), tenantId: input.tenantId, devEui: input.devEui, kind: input.kind, codec: input.codec, name: input.name, createdAt: now, updatedAt: now },
    });
    await forgetChirpstackOrphans(tx, input.tenantId, [input.devEui]);
    await assertWithinDeviceLimit(tx, input.tenantId, 1, this.defaultPlan);
    await announce(this.outbox, tx, IngestEvents.DeviceRegisteredV1, device, now);
    return device;
  }
}

function orphanView(row: OrphanRow): OrphanView {
  return {
    devEui: row.dev_eui,
    firstSeenAt: new Date(row.first_seen_at).toISOString(),
    lastSeenAt: new Date(row.last_seen_at).toISOString(),
    count: row.count,
    lastEvent: row.last_event,
    lastPayload: row.last_payload,
    lastSourceTenantId: row.last_source_tenant_id,
    keptEvents: row.kept_events,
    sources: (row.sources ?? []).map((source) => ({
      tenantId: source.tenantId === IngestEvents.PLATFORM_TENANT_ID ? null : source.tenantId,
      count: Number(source.count),
      firstSeenAt: new Date(source.firstSeenAt).toISOString(),
      lastSeenAt: new Date(source.lastSeenAt).toISOString(),
    })),
  };
}

function encodeCursor(lastSeenAt: string, devEui: string): string {
  return Buffer.from(JSON.stringify([lastSeenAt, devEui])).toString('base64url');
}

function decodeCursor(cursor: string): { lastSeenAt: string; devEui: string } {
  try {
    const [lastSeenAt, devEui] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof lastSeenAt === 'string' && !Number.isNaN(Date.parse(lastSeenAt)) && typeof devEui === 'string' && /^[0-9a-f]{16}$/.test(devEui)) {
      return { lastSeenAt, devEui };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'is not a cursor of this list; pass nextCursor back unchanged' }]);
}
