import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  DwellStatsView,
  OCCUPANCY_STATS_RPC,
  OccupancyStatsView,
  SiteStatsQuery,
  SiteTurnoverStatsView,
  SpaceTurnoverStatsView,
  STATS_DAILY_DEFAULT_DAYS,
  STATS_HOURLY_DEFAULT_HOURS,
  STATS_RANGE_MAX_DAYS,
  StatsRangeQuery,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiSiteNotFound, ApiSpaceNotFound, ApiZoneNotFound } from './occupancy-problems';
import { SITE_ID_PARAM } from './sites.controller';
import { SPACE_ID_PARAM } from './spaces.controller';
import { ZONE_ID_PARAM } from './zones.controller';

const RANGE = `\`from\` (inclusive) and \`to\` (exclusive, now by default) may span at most ${STATS_RANGE_MAX_DAYS} days.`;
const HOURLY = `${RANGE} Without \`from\`: the last ${STATS_HOURLY_DEFAULT_HOURS} hours. Every local hour of the site overlapping the range is answered; the current one counts up to now.`;
const DAILY = `${RANGE} Without \`from\`: the last ${STATS_DAILY_DEFAULT_DAYS} days. Every local day of the site overlapping the range is answered.`;

/** Occupancy statistics over time (owned by occupancy): rollups kept as changes of state arrive. */
@ApiTags('statistics')
@Controller('api/v1')
export class StatsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('sites:read')
  @Get('sites/:id/stats/occupancy')
  @ApiOperation({ summary: 'Occupancy rate of the site (or one zone) per hour, with totals and the peak hour', description: HOURLY })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: OccupancyStatsView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteOccupancy(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: SiteStatsQuery): Promise<OccupancyStatsView> {
    return this.rpc.call(OCCUPANCY_STATS_RPC.siteOccupancy, { ...query, siteId }, { principal });
  }

  @RequirePermission('sites:read')
  @Get('zones/:id/stats/occupancy')
  @ApiOperation({ summary: 'Occupancy rate of the zone (with its nested zones) per hour, with totals and the peak hour', description: HOURLY })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: OccupancyStatsView })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  zoneOccupancy(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Query() query: StatsRangeQuery): Promise<OccupancyStatsView> {
    return this.rpc.call(OCCUPANCY_STATS_RPC.zoneOccupancy, { ...query, zoneId }, { principal });
  }

  @RequirePermission('sites:read')
  @Get('sites/:id/stats/dwell')
  @ApiOperation({ summary: 'How long vehicles stayed, per day: finished stays, their mean length and a histogram', description: DAILY })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: DwellStatsView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteDwell(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: SiteStatsQuery): Promise<DwellStatsView> {
    return this.rpc.call(OCCUPANCY_STATS_RPC.siteDwell, { ...query, siteId }, { principal });
  }

  @RequirePermission('sites:read')
  @Get('sites/:id/stats/turnover')
  @ApiOperation({ summary: 'Turnover per day: arrivals, and arrivals per space (the site average)', description: DAILY })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteTurnoverStatsView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteTurnover(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: StatsRangeQuery): Promise<SiteTurnoverStatsView> {
    return this.rpc.call(OCCUPANCY_STATS_RPC.siteTurnover, { ...query, siteId }, { principal });
  }

  @RequirePermission('spaces:read')
  @Get('spaces/:id/stats/turnover')
  @ApiOperation({ summary: "The space's turnover per day: arrivals, occupied time and rate, stays and their mean length", description: DAILY })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceTurnoverStatsView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  spaceTurnover(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() query: StatsRangeQuery): Promise<SpaceTurnoverStatsView> {
    return this.rpc.call(OCCUPANCY_STATS_RPC.spaceTurnover, { ...query, spaceId }, { principal });
  }
}
