import { IngestEvents, ORPHAN_DEVEUIS_PER_SOURCE, ORPHAN_EVENTS_KEPT } from '@parking/contracts';
import type { SqlClient } from '@parking/database';
import { silentMessagingLogger, type BatchOutcome, type MessagingLogger, type OutboxWriter } from '@parking/messaging';
import type { RawWebhook } from '../pipeline/raw-webhook';
import { DeviceRoutes } from '../pipeline/uplink-routing';
import { orphanEventsCapped } from './orphan-metrics';

export interface OrphanRecorderOptions {
  /** Distinct devEUIs one source may hold as orphans (default ORPHAN_DEVEUIS_PER_SOURCE). */
  maxDevEuisPerSource?: number;
  logger?: MessagingLogger;
}

/** A capped source is logged at most this often per process. */
const CAP_LOG_INTERVAL_MS = 60_000;

interface RecordingState {
  /** `<devEui>:<source>` pairs the sources hold already. */
  tracked: Set<string>;
  /** `<devEui>:<dedupKey>` of the raw events kept already. */
  kept: Set<string>;
  /** Distinct devEUIs each source holds. */
  held: Map<string, number>;
}

/**
 * Records events that reached no device (uplink-routing.ts): the orphan row (count, first and
 * last seen, the newest normalised event), who sent it (orphan_sources: a tenant's
 * integrations, or the platform secret as the zero tenant) and the raw event, kept for replay
 * on assignment. Runs inside the transaction of the tenant whose batch it is (the zero tenant
 * for platform orphans) so that ingest.orphan.seen.v1 goes through that tenant's outbox.
 *
 * Each source holds at most `maxDevEuisPerSource` distinct devEUIs: an event of a further
 * devEUI is acknowledged and counted (ingest_orphan_events_capped_total, and `dropped` of the
 * source's orphan_source_quota row), not recorded; devEUIs already held keep their events. A
 * slot frees when the source's tenant registers the devEUI or a platform admin assigns it.
 */
export class OrphanRecorder {
  private readonly cap: number;
  private readonly logger: MessagingLogger;
  private readonly capLoggedAt = new Map<string, number>();

  constructor(
    private readonly outbox: OutboxWriter,
    options: OrphanRecorderOptions = {},
  ) {
    this.cap = options.maxDevEuisPerSource ?? ORPHAN_DEVEUIS_PER_SOURCE;
    this.logger = options.logger ?? silentMessagingLogger;
  }

  /**
   * One outcome per webhook, in order. A fixed handful of statements for the batch, then the
   * writes of each event recorded; an event past its source's cap costs no statement of its own.
   */
  async recordAll(tx: SqlClient, webhooks: readonly RawWebhook[], transactionTenantId: string): Promise<BatchOutcome[]> {
    // Orphans have no tenant: their rows open to the device-lookup purpose only.
    await tx.$executeRawUnsafe(`SELECT set_config('app.system_purpose', 'device-lookup', true)`);
    const sources = [...new Set(webhooks.map(sourceOf))].sort();
    // Locks each source's quota row, in order: a source's orphans are recorded by one transaction at a time, so the cap counts exactly.
    await tx.$executeRawUnsafe(
      `INSERT INTO ingest.orphan_source_quota AS q (source_tenant_id) SELECT s FROM unnest($1::uuid[]) AS s ORDER BY s
       ON CONFLICT (source_tenant_id) DO UPDATE SET dropped = q.dropped`,
      sources,
    );
    // Serialises with an assignment of these devEUIs, which locks the row before registering.
    const devEuis = [...new Set(webhooks.map((w) => w.event.devEui))].sort();
    await tx.$queryRawUnsafe(`SELECT 1 FROM ingest.orphans WHERE dev_eui = ANY ($1::text[]) ORDER BY dev_eui FOR UPDATE`, devEuis);
    // Read after the locks (a statement of its own, so it sees what their holders committed).
    const routes = await DeviceRoutes.lookup(tx, webhooks);
    const state = await this.state(tx, devEuis, sources, webhooks);

    const outcomes: BatchOutcome[] = [];
    const dropped = new Map<string, number>();
    for (const webhook of webhooks) {
      const devEui = webhook.event.devEui;
      if (routes.tenantOf(webhook) !== undefined) {
        // Registered (or changed) since the batch looked: the next delivery goes to the device.
        outcomes.push({ kind: 'retry', error: new Error(`device ${devEui} was registered while its event was being recorded as an orphan`) });
        continue;
      }
      if (state.kept.has(`${devEui}:${webhook.dedupKey}`)) {
        outcomes.push({ kind: 'ack' });
        continue;
      }
      const source = sourceOf(webhook);
      if (!state.tracked.has(`${devEui}:${source}`)) {
        const held = state.held.get(source) ?? 0;
        if (held >= this.cap) {
          dropped.set(source, (dropped.get(source) ?? 0) + 1);
          outcomes.push({ kind: 'ack' });
          continue;
        }
        state.held.set(source, held + 1);
        state.tracked.add(`${devEui}:${source}`);
      }
      await this.record(tx, webhook, source, transactionTenantId);
      state.kept.add(`${devEui}:${webhook.dedupKey}`);
      outcomes.push({ kind: 'ack' });
    }
    if (dropped.size > 0) await this.countDropped(tx, dropped);
    return outcomes;
  }

  /** What decides each event besides its route: what the sources hold and which raw events are kept. */
  private async state(tx: SqlClient, devEuis: string[], sources: string[], webhooks: readonly RawWebhook[]): Promise<RecordingState> {
    const [row] = await tx.$queryRawUnsafe<Array<{ tracked: string[] | null; kept: string[] | null; held: Array<{ source: string; n: number }> | null }>>(
      `SELECT (SELECT array_agg(s.dev_eui || ':' || s.source_tenant_id) FROM ingest.orphan_sources s
                WHERE s.dev_eui = ANY ($1::text[]) AND s.source_tenant_id = ANY ($2::uuid[])) AS tracked,
              (SELECT array_agg(e.dev_eui || ':' || e.dedup_key) FROM ingest.orphan_events e
                WHERE e.dev_eui = ANY ($1::text[]) AND e.dedup_key = ANY ($3::text[])) AS kept,
              (SELECT json_agg(json_build_object('source', h.source_tenant_id, 'n', h.n)) FROM
                 (SELECT s.source_tenant_id, count(*)::int AS n FROM ingest.orphan_sources s
                   WHERE s.source_tenant_id = ANY ($2::uuid[]) GROUP BY s.source_tenant_id) h) AS held`,
      devEuis,
      sources,
      [...new Set(webhooks.map((w) => w.dedupKey))],
    );
    return {
      tracked: new Set(row?.tracked ?? []),
      kept: new Set(row?.kept ?? []),
      held: new Map((row?.held ?? []).map((h) => [h.source, h.n])),
    };
  }

  private async record(tx: SqlClient, webhook: RawWebhook, source: string, transactionTenantId: string): Promise<void> {
    const devEui = webhook.event.devEui;
    const at = webhook.receivedAt.toISOString();
    const sender = webhook.tenantId ?? null;
    // The orphan and its source in one statement (the source row refers to the orphan row).
    const [orphan] = await tx.$queryRawUnsafe<Array<{ count: number; first_seen_at: Date; last_seen_at: Date }>>(
      `WITH orphan AS (
         INSERT INTO ingest.orphans AS o (dev_eui, first_seen_at, last_seen_at, count, last_event, last_payload, last_source_tenant_id)
         VALUES ($1, $2::timestamptz, $2::timestamptz, 1, $3, $4::jsonb, $5::uuid)
         ON CONFLICT (dev_eui) DO UPDATE SET
           count = o.count + 1,
           first_seen_at = LEAST(o.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = GREATEST(o.last_seen_at, EXCLUDED.last_seen_at),
           last_event = CASE WHEN EXCLUDED.last_seen_at >= o.last_seen_at THEN EXCLUDED.last_event ELSE o.last_event END,
           last_payload = CASE WHEN EXCLUDED.last_seen_at >= o.last_seen_at THEN EXCLUDED.last_payload ELSE o.last_payload END,
           last_source_tenant_id = CASE WHEN EXCLUDED.last_seen_at >= o.last_seen_at THEN EXCLUDED.last_source_tenant_id ELSE o.last_source_tenant_id END
         RETURNING o.dev_eui, o.count::int AS count, o.first_seen_at, o.last_seen_at
       ), source AS (
         INSERT INTO ingest.orphan_sources AS s (dev_eui, source_tenant_id, first_seen_at, last_seen_at, count)
         SELECT orphan.dev_eui, $6::uuid, $2::timestamptz, $2::timestamptz, 1 FROM orphan
         ON CONFLICT (dev_eui, source_tenant_id) DO UPDATE SET
           count = s.count + 1,
           first_seen_at = LEAST(s.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = GREATEST(s.last_seen_at, EXCLUDED.last_seen_at)
       )
       SELECT count, first_seen_at, last_seen_at FROM orphan`,
      devEui,
      at,
      webhook.event.kind,
      JSON.stringify(normalisedRecord(webhook)),
      sender,
      source,
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO ingest.orphan_events (dev_eui, dedup_key, subject, source_tenant_id, headers, body, received_at)
       VALUES ($1, $2, $3, $4::uuid, $5::jsonb, decode($6, 'base64'), $7::timestamptz)`,
      devEui,
      webhook.dedupKey,
      webhook.message.subject,
      sender,
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
      tenantId: transactionTenantId,
      aggregateId: devEui,
      data: {
        devEui,
        sourceTenantId: sender,
        event: webhook.event.kind,
        count: orphan.count,
        firstSeenAt: new Date(orphan.first_seen_at).toISOString(),
        lastSeenAt: new Date(orphan.last_seen_at).toISOString(),
      },
    });
  }

  /** One statement for the batch's refused events; the metric and (at most once a minute per source) a warning. */
  private async countDropped(tx: SqlClient, dropped: Map<string, number>): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE ingest.orphan_source_quota q SET dropped = q.dropped + d.n, last_dropped_at = now()
         FROM unnest($1::uuid[], $2::int[]) AS d(source, n) WHERE q.source_tenant_id = d.source`,
      [...dropped.keys()],
      [...dropped.values()],
    );
    const now = Date.now();
    for (const [source, n] of dropped) {
      const platform = source === IngestEvents.PLATFORM_TENANT_ID;
      orphanEventsCapped.inc({ source: platform ? 'platform' : 'tenant' }, n);
      if (now - (this.capLoggedAt.get(source) ?? 0) < CAP_LOG_INTERVAL_MS) continue;
      this.capLoggedAt.set(source, now);
      this.logger.warn(
        { sourceTenantId: platform ? null : source, cap: this.cap, refused: n },
        'orphan devEUIs of this source are capped: events of further unregistered devEUIs are counted, not recorded',
      );
    }
  }
}

/** Who sent an event, as orphan_sources keys it: the tenant of its integration, or the zero tenant for the platform secret. */
export function sourceOf(webhook: RawWebhook): string {
  return webhook.tenantId ?? IngestEvents.PLATFORM_TENANT_ID;
}

/** The normalised event as JSON (the payload bytes as base64). */
export function normalisedRecord(webhook: RawWebhook): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(webhook.event, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)),
  ) as Record<string, unknown>;
}
