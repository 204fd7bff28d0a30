import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DwellStatsView,
  OCCUPANCY_STATS_RPC,
  OccupancyStatsView,
  SiteTurnoverStatsView,
  SpaceTurnoverStatsView,
  STATS_DAILY_DEFAULT_DAYS,
  STATS_HOURLY_DEFAULT_HOURS,
  STATS_RANGE_MAX_DAYS,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { RequestReader } from '../rpc/request-reader';
import { OccupancyStats, StatsWindow } from './occupancy-stats';
import { HOUR_MS } from './site-clock';

/** `from` / `to` with their defaults, checked: `to` after `from`, at most STATS_RANGE_MAX_DAYS apart. */
function readWindow(input: RequestReader, defaultMs: number, now = new Date()): StatsWindow {
  const to = input.instant('to') ?? now;
  const window = { from: input.instant('from') ?? new Date(to.getTime() - defaultMs), to };
  if (window.from >= window.to) input.fail('to', 'must be later than from (to defaults to now)');
  else if (window.to.getTime() - window.from.getTime() > STATS_RANGE_MAX_DAYS * 24 * HOUR_MS) {
    input.fail('to', `must be at most ${STATS_RANGE_MAX_DAYS} days after from; ask for a longer period in several requests`);
  }
  return window;
}

@Controller()
export class StatsRpc {
  constructor(private readonly stats: OccupancyStats) {}

  @RpcHandler(OCCUPANCY_STATS_RPC.siteOccupancy)
  siteOccupancy(@Payload() payload: unknown): Promise<OccupancyStatsView> {
    const principal = authorised(payload, 'sites:read');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const zoneId = input.nullableUuid('zoneId') ?? null;
    const window = readWindow(input, STATS_HOURLY_DEFAULT_HOURS * HOUR_MS);
    input.done();
    return this.stats.occupancy(principal, siteId, zoneId, window);
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.zoneOccupancy)
  zoneOccupancy(@Payload() payload: unknown): Promise<OccupancyStatsView> {
    const principal = authorised(payload, 'sites:read');
    const input = new RequestReader(payload);
    const zoneId = input.uuid('zoneId');
    const window = readWindow(input, STATS_HOURLY_DEFAULT_HOURS * HOUR_MS);
    input.done();
    return this.stats.zoneOccupancy(principal, zoneId, window);
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.siteDwell)
  siteDwell(@Payload() payload: unknown): Promise<DwellStatsView> {
    const principal = authorised(payload, 'sites:read');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const zoneId = input.nullableUuid('zoneId') ?? null;
    const window = readWindow(input, STATS_DAILY_DEFAULT_DAYS * 24 * HOUR_MS);
    input.done();
    return this.stats.dwell(principal, siteId, zoneId, window);
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.siteTurnover)
  siteTurnover(@Payload() payload: unknown): Promise<SiteTurnoverStatsView> {
    const principal = authorised(payload, 'sites:read');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const window = readWindow(input, STATS_DAILY_DEFAULT_DAYS * 24 * HOUR_MS);
    input.done();
    return this.stats.siteTurnover(principal, siteId, window);
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.spaceTurnover)
  spaceTurnover(@Payload() payload: unknown): Promise<SpaceTurnoverStatsView> {
    const principal = authorised(payload, 'spaces:read');
    const input = new RequestReader(payload);
    const spaceId = input.uuid('spaceId');
    const window = readWindow(input, STATS_DAILY_DEFAULT_DAYS * 24 * HOUR_MS);
    input.done();
    return this.stats.spaceTurnover(principal, spaceId, window);
  }
}
