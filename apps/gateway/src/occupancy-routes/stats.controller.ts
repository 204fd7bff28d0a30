import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  OCCUPANCY_STATS_RPC,
  STATS_DAILY_DEFAULT_DAYS,
  STATS_HOURLY_DEFAULT_HOURS,
  STATS_RANGE_MAX_DAYS,
  type OccupancyStatsRpcSubject,
  type Principal,
  type SiteDwellStatsRequest,
  type SiteOccupancyStatsRequest,
  type SiteTurnoverStatsRequest,
  type SpaceTurnoverStatsRequest,
  type ZoneOccupancyStatsRequest,
} from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { GatewayConfig } from '../config';
import { UuidParam } from '../identity-routes/dto/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiSiteNotFound, ApiSpaceNotFound, ApiZoneNotFound } from './occupancy-problems';
import { SITE_ID_PARAM } from './sites.controller';
import { SPACE_ID_PARAM } from './spaces.controller';
import { DwellStatsDto, OccupancyStatsDto, SiteStatsQuery, SiteTurnoverStatsDto, SpaceTurnoverStatsDto, StatsRangeQuery } from './stats.dto';
import { ZONE_ID_PARAM } from './zones.controller';

const RANGE = `\`from\` (inclusive) and \`to\` (exclusive, now by default) may span at most ${STATS_RANGE_MAX_DAYS} days.`;
const HOURLY = `${RANGE} Without \`from\`: the last ${STATS_HOURLY_DEFAULT_HOURS} hours. Every local hour of the site overlapping the range is answered; the current one counts up to now.`;
const DAILY = `${RANGE} Without \`from\`: the last ${STATS_DAILY_DEFAULT_DAYS} days. Every local day of the site overlapping the range is answered.`;

/** Occupancy statistics over time (owned by occupancy): rollups kept as changes of state arrive. */
@ApiTags('statistics')
@Controller('api/v1')
export class StatsController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  @RequirePermission('sites:read')
  @Get('sites/:id/stats/occupancy')
  @ApiOperation({ summary: 'Occupancy rate of the site (or one zone) per hour, with totals and the peak hour', description: HOURLY })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: OccupancyStatsDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteOccupancy(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: SiteStatsQuery): Promise<OccupancyStatsDto> {
    return this.send(OCCUPANCY_STATS_RPC.siteOccupancy, { principal, siteId, ...query } satisfies SiteOccupancyStatsRequest);
  }

  @RequirePermission('sites:read')
  @Get('zones/:id/stats/occupancy')
  @ApiOperation({ summary: 'Occupancy rate of the zone (with its nested zones) per hour, with totals and the peak hour', description: HOURLY })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: OccupancyStatsDto })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  zoneOccupancy(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Query() query: StatsRangeQuery): Promise<OccupancyStatsDto> {
    return this.send(OCCUPANCY_STATS_RPC.zoneOccupancy, { principal, zoneId, ...query } satisfies ZoneOccupancyStatsRequest);
  }

  @RequirePermission('sites:read')
  @Get('sites/:id/stats/dwell')
  @ApiOperation({ summary: 'How long vehicles stayed, per day: finished stays, their mean length and a histogram', description: DAILY })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: DwellStatsDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteDwell(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: SiteStatsQuery): Promise<DwellStatsDto> {
    return this.send(OCCUPANCY_STATS_RPC.siteDwell, { principal, siteId, ...query } satisfies SiteDwellStatsRequest);
  }

  @RequirePermission('sites:read')
  @Get('sites/:id/stats/turnover')
  @ApiOperation({ summary: 'Turnover per day: arrivals, and arrivals per space (the site average)', description: DAILY })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteTurnoverStatsDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteTurnover(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: StatsRangeQuery): Promise<SiteTurnoverStatsDto> {
    return this.send(OCCUPANCY_STATS_RPC.siteTurnover, { principal, siteId, ...query } satisfies SiteTurnoverStatsRequest);
  }

  @RequirePermission('spaces:read')
  @Get('spaces/:id/stats/turnover')
  @ApiOperation({ summary: "The space's turnover per day: arrivals, occupied time and rate, stays and their mean length", description: DAILY })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceTurnoverStatsDto })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  spaceTurnover(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() query: StatsRangeQuery): Promise<SpaceTurnoverStatsDto> {
    return this.send(OCCUPANCY_STATS_RPC.spaceTurnover, { principal, spaceId, ...query } satisfies SpaceTurnoverStatsRequest);
  }

  private send<TResponse>(subject: OccupancyStatsRpcSubject, request: unknown): Promise<TResponse> {
    return this.rpc.send<unknown, TResponse>(subject, request, { timeoutMs: this.config.rpc.timeoutMs });
  }
}
