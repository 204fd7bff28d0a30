import { Inject, Injectable } from '@nestjs/common';
import type { GatewayStatsView, HistogramBucket, Principal, SignalDistribution } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import { callErrorOf } from '../chirpstack/chirpstack-errors';
import { callTargetOf } from '../connections/connection-rows';
import { ConnectionsUseCase } from '../connections/connections.use-case';
import { GatewaysUseCase } from './gateways.use-case';

/** Histogram buckets of the hourly rows: RSSI in 10 dB steps from -140, SNR in 2.5 dB steps from -20 (the last bucket takes the rest). */
export const RSSI_BUCKETS = { from: -140, width: 10, count: 14 } as const;
export const SNR_BUCKETS = { from: -20, width: 2.5, count: 16 } as const;
export type Buckets = { from: number; width: number; count: number };

/** The bucket a value falls in; the first and last take everything below and above. */
export function bucketOf(value: number, buckets: Buckets): number {
  return Math.min(buckets.count - 1, Math.max(0, Math.floor((value - buckets.from) / buckets.width)));
}

interface HourRow {
  hour: Date;
  uplinks: number;
  rssi_sum: number;
  rssi_count: number;
  rssi_min: number | null;
  rssi_max: number | null;
  rssi_buckets: number[];
  snr_sum: number;
  snr_count: number;
  snr_min: number | null;
  snr_max: number | null;
  snr_buckets: number[];
}

function distribution(rows: HourRow[], kind: 'rssi' | 'snr', buckets: Buckets): SignalDistribution {
  const count = rows.reduce((sum, row) => sum + row[`${kind}_count`], 0);
  const sum = rows.reduce((total, row) => total + row[`${kind}_sum`], 0);
  const mins = rows.map((row) => row[`${kind}_min`]).filter((v): v is number => v !== null);
  const maxes = rows.map((row) => row[`${kind}_max`]).filter((v): v is number => v !== null);
  const histogram: HistogramBucket[] = [];
  for (let i = 0; i < buckets.count; i += 1) {
    const inBucket = rows.reduce((total, row) => total + (row[`${kind}_buckets`][i] ?? 0), 0);
    if (inBucket > 0) histogram.push({ from: buckets.from + i * buckets.width, to: buckets.from + (i + 1) * buckets.width, count: inBucket });
  }
  return {
    min: mins.length > 0 ? Math.min(...mins) : null,
    max: maxes.length > 0 ? Math.max(...maxes) : null,
    mean: count > 0 ? Math.round((sum / count) * 10) / 10 : null,
    histogram,
  };
}

/** A gateway's statistics over the last hours: from the hourly rows, and ChirpStack's duty-cycle figures where it serves them. */
@Injectable()
export class GatewayStats {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly gateways: GatewaysUseCase,
    private readonly connections: ConnectionsUseCase,
    private readonly clients: ChirpStackClients,
  ) {}

  async of(principal: Principal, gatewayId: string, hours: number, now = new Date()): Promise<GatewayStatsView> {
    const to = now;
    const from = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - (hours - 1) * 3_600_000);
    const { rows, connection } = await this.db.withTenant(principal.tenantId, async (tx) => {
      const gateway = await this.gateways.find(tx, gatewayId);
      return {
        rows: await tx.$queryRaw<HourRow[]>`
          SELECT hour, uplinks, rssi_sum, rssi_count, rssi_min, rssi_max, rssi_buckets, snr_sum, snr_count, snr_min, snr_max, snr_buckets
            FROM chirpstack.gateway_uplinks_hourly WHERE gateway_id = ${gatewayId} AND hour >= ${from}::timestamptz ORDER BY hour`,
        connection: gateway.connection_id ? await this.connections.open(tx, gateway.connection_id) : null,
      };
    });
    let dutyCycle: GatewayStatsView['dutyCycle'] = { unavailable: 'The gateway has no ChirpStack connection.', bands: [] };
    if (connection) {
      try {
        dutyCycle = { unavailable: null, bands: await this.clients.for(callTargetOf(connection)).dutyCycle(gatewayId, from, to) };
      } catch (error) {
        dutyCycle = { unavailable: `ChirpStack (connection ${connection.id}) gave no duty-cycle metrics: ${callErrorOf('GatewayService.GetDutyCycleMetrics', error).message}`, bands: [] };
      }
    }
    return {
      gatewayId,
      from: from.toISOString(),
      to: to.toISOString(),
      uplinks: rows.reduce((sum, row) => sum + row.uplinks, 0),
      uplinksPerHour: rows.map((row) => ({ hour: row.hour.toISOString(), uplinks: row.uplinks })),
      rssi: distribution(rows, 'rssi', RSSI_BUCKETS),
      snr: distribution(rows, 'snr', SNR_BUCKETS),
      dutyCycle,
    };
  }
}
