import { Inject, Injectable } from '@nestjs/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IngestEvents, Namespace, STREAMS, type Uplink } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import type { TenantBatchItem } from '@parking/messaging';
import { JETSTREAM, NATS_CONNECTION, TenantBatchConsumer, TenantBatchDurable } from '@parking/messaging-nest';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { bucketOf, RSSI_BUCKETS, SNR_BUCKETS } from './gateway-stats';

export const GATEWAY_UPLINKS_DURABLE = 'chirpstack-sync-gateway-uplinks';
export const GATEWAY_UPLINKS_FILTER = `${IngestEvents.UPLINK_RECEIVED_V1}.>`;
const BATCH_SIZE = 256;
/** Statistics and a gateway's last uplink may lag a second: a steady stream then costs one transaction a second, not one every few uplinks. */
const LINGER_MS = 1_000;

/** One gateway's share of a batch in one hour. */
interface HourTally {
  gatewayId: string;
  hour: string;
  uplinks: number;
  lastAt: string;
  rssiSum: number;
  rssiCount: number;
  rssiMin: number | null;
  rssiMax: number | null;
  rssiBuckets: number[];
  snrSum: number;
  snrCount: number;
  snrMin: number | null;
  snrMax: number | null;
  snrBuckets: number[];
}

const lower = (a: number | null, b: number) => (a === null ? b : Math.min(a, b));
const higher = (a: number | null, b: number) => (a === null ? b : Math.max(a, b));

/** Folds a tenant's uplinks into per-gateway, per-hour tallies (the gateways of each uplink's rxInfo). */
export function tallyUplinks(uplinks: readonly Uplink[]): HourTally[] {
  const tallies = new Map<string, HourTally>();
  for (const uplink of uplinks) {
    const at = new Date(uplink.receivedAt);
    const hour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString();
    for (const rx of uplink.radio?.gateways ?? []) {
      const key = `${rx.gatewayId}|${hour}`;
      const tally =
        tallies.get(key) ??
        ({ gatewayId: rx.gatewayId, hour, uplinks: 0, lastAt: uplink.receivedAt, rssiSum: 0, rssiCount: 0, rssiMin: null, rssiMax: null, rssiBuckets: new Array<number>(RSSI_BUCKETS.count).fill(0), snrSum: 0, snrCount: 0, snrMin: null, snrMax: null, snrBuckets: new Array<number>(SNR_BUCKETS.count).fill(0) } satisfies HourTally);
      tally.uplinks += 1;
      if (uplink.receivedAt > tally.lastAt) tally.lastAt = uplink.receivedAt;
      if (typeof rx.rssi === 'number') {
        tally.rssiSum += rx.rssi;
        tally.rssiCount += 1;
        tally.rssiMin = lower(tally.rssiMin, rx.rssi);
        tally.rssiMax = higher(tally.rssiMax, rx.rssi);
        tally.rssiBuckets[bucketOf(rx.rssi, RSSI_BUCKETS)] += 1;
      }
      if (typeof rx.snr === 'number') {
        tally.snrSum += rx.snr;
        tally.snrCount += 1;
        tally.snrMin = lower(tally.snrMin, rx.snr);
        tally.snrMax = higher(tally.snrMax, rx.snr);
        tally.snrBuckets[bucketOf(rx.snr, SNR_BUCKETS)] += 1;
      }
      tallies.set(key, tally);
    }
  }
  return [...tallies.values()];
}

const asArray = (values: number[]) => `{${values.join(',')}}`;

/**
 * Which of the tenant's gateways relayed each uplink (`radio.gateways`, from ChirpStack's
 * rxInfo): their hourly counts, RSSI and SNR, and their last uplink (which keeps a gateway
 * online between ChirpStack's polls). A read model over the uplink stream rather than an event
 * of ingest's: the stream carries the rxInfo already, and a batch costs one transaction per
 * tenant here, nothing on the path from webhook to space state. Gateways the tenant has not
 * registered are not counted.
 */
@Injectable()
export class GatewayUplinksConsumer extends TenantBatchConsumer<Uplink, TemplateSqlClient> {
  protected readonly durable: TenantBatchDurable<Uplink, TemplateSqlClient>;

  constructor(
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(JETSTREAM) js: JetStreamClient,
    ns: Namespace,
    @Inject(RAW_TENANT_DATABASE) db: TenantDatabase<TemplateSqlClient>,
  ) {
    super();
    this.durable = new TenantBatchDurable({
      nc,
      js,
      ns,
      db,
      service: 'chirpstack-sync',
      // A redelivered uplink is counted once.
      inboxSchema: 'chirpstack',
      stream: STREAMS.INGEST,
      durable: GATEWAY_UPLINKS_DURABLE,
      filterSubject: GATEWAY_UPLINKS_FILTER,
      description: 'Uplinks to gateway statistics',
      batchSize: BATCH_SIZE,
      lingerMs: LINGER_MS,
      eventTypes: [IngestEvents.UPLINK_RECEIVED_V1],
      apply: (tx, tenantId, items) => this.record(tx, tenantId, items),
    });
  }

  private async record(tx: TemplateSqlClient, tenantId: string, fresh: TenantBatchItem<Uplink>[]): Promise<void> {
    const tallies = tallyUplinks(fresh.map((item) => item.data));
    if (tallies.length === 0) return;
    const column = <K extends keyof HourTally>(key: K) => tallies.map((t) => t[key]);
    await tx.$executeRaw`
      INSERT INTO chirpstack.gateway_uplinks_hourly AS h (tenant_id, gateway_id, hour, uplinks, rssi_sum, rssi_count, rssi_min, rssi_max, rssi_buckets,
                                                          snr_sum, snr_count, snr_min, snr_max, snr_buckets)
      SELECT ${tenantId}::uuid, e.gateway_id, e.hour, e.uplinks, e.rssi_sum, e.rssi_count, e.rssi_min, e.rssi_max, e.rssi_buckets::int[],
             e.snr_sum, e.snr_count, e.snr_min, e.snr_max, e.snr_buckets::int[]
        FROM unnest(${column('gatewayId')}::text[], ${column('hour')}::timestamptz[], ${column('uplinks')}::int[],
                    ${column('rssiSum')}::float8[], ${column('rssiCount')}::int[], ${column('rssiMin')}::float8[], ${column('rssiMax')}::float8[], ${tallies.map((t) => asArray(t.rssiBuckets))}::text[],
                    ${column('snrSum')}::float8[], ${column('snrCount')}::int[], ${column('snrMin')}::float8[], ${column('snrMax')}::float8[], ${tallies.map((t) => asArray(t.snrBuckets))}::text[])
             AS e(gateway_id, hour, uplinks, rssi_sum, rssi_count, rssi_min, rssi_max, rssi_buckets, snr_sum, snr_count, snr_min, snr_max, snr_buckets)
       WHERE EXISTS (SELECT 1 FROM chirpstack.gateways g WHERE g.gateway_id = e.gateway_id AND NOT g.removed)
      ON CONFLICT (tenant_id, gateway_id, hour) DO UPDATE SET
        uplinks = h.uplinks + EXCLUDED.uplinks,
        rssi_sum = h.rssi_sum + EXCLUDED.rssi_sum, rssi_count = h.rssi_count + EXCLUDED.rssi_count,
        rssi_min = LEAST(h.rssi_min, EXCLUDED.rssi_min), rssi_max = GREATEST(h.rssi_max, EXCLUDED.rssi_max),
        rssi_buckets = (SELECT array_agg(a + b ORDER BY i) FROM unnest(h.rssi_buckets, EXCLUDED.rssi_buckets) WITH ORDINALITY AS t(a, b, i)),
        snr_sum = h.snr_sum + EXCLUDED.snr_sum, snr_count = h.snr_count + EXCLUDED.snr_count,
        snr_min = LEAST(h.snr_min, EXCLUDED.snr_min), snr_max = GREATEST(h.snr_max, EXCLUDED.snr_max),
        snr_buckets = (SELECT array_agg(a + b ORDER BY i) FROM unnest(h.snr_buckets, EXCLUDED.snr_buckets) WITH ORDINALITY AS t(a, b, i))`;
    await tx.$executeRaw`
      UPDATE chirpstack.gateways g SET last_uplink_at = GREATEST(g.last_uplink_at, e.at)
        FROM (SELECT gateway_id, max(at) AS at FROM unnest(${column('gatewayId')}::text[], ${column('lastAt')}::timestamptz[]) AS u(gateway_id, at) GROUP BY gateway_id) e
       WHERE g.gateway_id = e.gateway_id AND NOT g.removed`;
  }
}
