import { Controller } from '@nestjs/common';
import {
  DwellStatsView,
  OCCUPANCY_STATS_RPC,
  OccupancyStatsView,
  SiteDwellStatsRequest,
  SiteOccupancyStatsRequest,
  SiteTurnoverStatsRequest,
  SiteTurnoverStatsView,
  SpaceTurnoverStatsRequest,
  SpaceTurnoverStatsView,
  STATS_DAILY_DEFAULT_DAYS,
  STATS_HOURLY_DEFAULT_HOURS,
  StatsRangeQuery,
  ZoneOccupancyStatsRequest,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { OccupancyStats, StatsWindow } from './occupancy-stats';
import { HOUR_MS } from './site-clock';

const HOURLY_DEFAULT_MS = STATS_HOURLY_DEFAULT_HOURS * HOUR_MS;
const DAILY_DEFAULT_MS = STATS_DAILY_DEFAULT_DAYS * 24 * HOUR_MS;

/** The range with its defaults: `to` now, `from` the default span before `to` (the class checked order and length). */
function windowOf(range: StatsRangeQuery, defaultMs: number, now = new Date()): StatsWindow {
  const to = range.to === undefined ? now : new Date(range.to);
  return { from: range.from === undefined ? new Date(to.getTime() - defaultMs) : new Date(range.from), to };
}

@Controller()
export class StatsRpc {
  constructor(private readonly stats: OccupancyStats) {}

  @RpcHandler(OCCUPANCY_STATS_RPC.siteOccupancy)
  siteOccupancy(request: SiteOccupancyStatsRequest, context: ReceivedRpcContext): Promise<OccupancyStatsView> {
    return this.stats.occupancy(authorised(context, 'sites:read'), request.siteId, request.zoneId ?? null, windowOf(request, HOURLY_DEFAULT_MS));
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.zoneOccupancy)
  zoneOccupancy(request: ZoneOccupancyStatsRequest, context: ReceivedRpcContext): Promise<OccupancyStatsView> {
    return this.stats.zoneOccupancy(authorised(context, 'sites:read'), request.zoneId, windowOf(request, HOURLY_DEFAULT_MS));
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.siteDwell)
  siteDwell(request: SiteDwellStatsRequest, context: ReceivedRpcContext): Promise<DwellStatsView> {
    return this.stats.dwell(authorised(context, 'sites:read'), request.siteId, request.zoneId ?? null, windowOf(request, DAILY_DEFAULT_MS));
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.siteTurnover)
  siteTurnover(request: SiteTurnoverStatsRequest, context: ReceivedRpcContext): Promise<SiteTurnoverStatsView> {
    return this.stats.siteTurnover(authorised(context, 'sites:read'), request.siteId, windowOf(request, DAILY_DEFAULT_MS));
  }

  @RpcHandler(OCCUPANCY_STATS_RPC.spaceTurnover)
  spaceTurnover(request: SpaceTurnoverStatsRequest, context: ReceivedRpcContext): Promise<SpaceTurnoverStatsView> {
    return this.stats.spaceTurnover(authorised(context, 'spaces:read'), request.spaceId, windowOf(request, DAILY_DEFAULT_MS));
  }
}
