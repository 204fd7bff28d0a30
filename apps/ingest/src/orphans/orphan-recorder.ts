import { IngestEvents, ORPHAN_EVENTS_KEPT } from '@parking/contracts';
import type { SqlClient } from '@parking/database';
import type { BatchOutcome, OutboxWriter } from '@parking/messaging';
import type { RawWebhook } from '../pipeline/raw-webhook';

/**
 * Records events of devEUIs without a registered owner: the orphan row (count, first and
 * last seen, the newest normalised event) and the raw event, kept for replay on assignment.
 * Runs inside the sending tenant's transaction (the zero tenant for platform-signed events)
 * so that ingest.orphan.seen.v1 goes through that tenant's outbox.
 */
export class OrphanRecorder {
  constructor(private readonly outbox: OutboxWriter) {}

  /** Orphans have no tenant: their rows open to the device-lookup purpose only. */
  async enter(tx: SqlClient): Promise<void> {
    await tx.$executeRawUnsafe(`SELECT set_config('app.system_purpose', 'device-lookup', true)`);
  }

  /** `sourceTenantId` is the tenant whose transaction this is (PLATFORM_TENANT_ID: none). */
  async record(tx: SqlClient, webhook: RawWebhook, sourceTenantId: string): Promise<BatchOutcome> {
    const devEui = webhook.event.devEui;
    // Serialises with an assignment of this devEUI, which locks the row before registering.
    await tx.$queryRawUnsafe(`SELECT 1 FROM ingest.orphans WHERE dev_eui = $1 FOR UPDATE`, devEui);
    const owner = await this.ownerOf(tx, devEui);
    if (owner && (webhook.tenantId === undefined || owner === webhook.tenantId)) {
      // Registered since the batch looked: the next delivery goes to the owner.
      return { kind: 'retry', error: new Error(`device ${devEui} was registered while its event was being recorded as an orphan`) };
    }
    const kept = await tx.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM ingest.orphan_events WHERE dev_eui = $1 AND dedup_key = $2`, devEui, webhook.dedupKey);
    if (kept.length > 0) return { kind: 'ack' };

    const at = webhook.receivedAt.toISOString();
    const source = webhook.tenantId ?? null;
    const [orphan] = await tx.$queryRawUnsafe<Array<{ count: number; first_seen_at: Date; last_seen_at: Date }>>(
      `INSERT INTO ingest.orphans AS o (dev_eui, first_seen_at, last_seen_at, count, last_event, last_payload, last_source_tenant_id)
       VALUES ($1, $2::timestamptz, $2::timestamptz, 1, $3, $4::jsonb, $5::uuid)
       ON CONFLICT (dev_eui) DO UPDATE SET
         count = o.count + 1,
         first_seen_at = LEAST(o.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(o.last_seen_at, EXCLUDED.last_seen_at),
         last_event = CASE WHEN EXCLUDED.last_seen_at >= o.last_seen_at THEN EXCLUDED.last_event ELSE o.last_event END,
         last_payload = CASE WHEN EXCLUDED.last_seen_at >= o.last_seen_at THEN EXCLUDED.last_payload ELSE o.last_payload END,
         last_source_tenant_id = CASE WHEN EXCLUDED.last_seen_at >= o.last_seen_at THEN EXCLUDED.last_source_tenant_id ELSE o.last_source_tenant_id END
       RETURNING count::int AS count, first_seen_at, last_seen_at`,
      devEui,
      at,
      webhook.event.kind,
      JSON.stringify(normalisedRecord(webhook)),
      source,
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO ingest.orphan_events (dev_eui, dedup_key, subject, source_tenant_id, headers, body, received_at)
       VALUES ($1, $2, $3, $4::uuid, $5::jsonb, decode($6, 'base64'), $7::timestamptz)`,
      devEui,
      webhook.dedupKey,
      webhook.message.subject,
      source,
      JSON.stringify(webhook.message.headers),
      Buffer.from(webhook.message.data).toString('base64'),
      at,
    );
    // Bounded: only the newest events are kept.
    await tx.$executeRawUnsafe(
      `DELETE FROM ingest.orphan_events WHERE dev_eui = $1
          AND id <= (SELECT id FROM ingest.orphan_events WHERE dev_eui = $1 ORDER BY id DESC OFFSET $2::int LIMIT 1)`,
      devEui,
      ORPHAN_EVENTS_KEPT,
    );
    await this.outbox.append(tx, IngestEvents.OrphanSeenV1, {
      tenantId: sourceTenantId,
      aggregateId: devEui,
      data: {
        devEui,
        sourceTenantId: source,
        event: webhook.event.kind,
        count: orphan.count,
        firstSeenAt: new Date(orphan.first_seen_at).toISOString(),
        lastSeenAt: new Date(orphan.last_seen_at).toISOString(),
      },
    });
    return { kind: 'ack' };
  }

  private async ownerOf(tx: SqlClient, devEui: string): Promise<string | undefined> {
    const rows = await tx.$queryRawUnsafe<Array<{ tenant_id: string }>>(`SELECT tenant_id::text FROM ingest.device_owners($1::text[])`, [devEui]);
    return rows[0]?.tenant_id;
  }
}

/** The normalised event as JSON (the payload bytes as base64). */
export function normalisedRecord(webhook: RawWebhook): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(webhook.event, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)),
  ) as Record<string, unknown>;
}
