import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CreateSiteRequest,
  CreateZoneBody,
  ListSitesRequest,
  ListZonesQuery,
  OCCUPANCY_RPC,
  SiteAvailabilityResponse,
  SitePage,
  SiteView,
  UpdateSiteBody,
  ZonePage,
  ZoneView,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiOccupancyLimit, ApiOccupancyProblem, ApiSiteNotFound, ApiVersionConflict } from './occupancy-problems';

export const SITE_ID_PARAM = { name: 'id', format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', description: 'The site' } as const;

/** Sites of the caller's tenant, their zones and live availability (owned by occupancy). */
@ApiTags('sites')
@Controller('api/v1/sites')
export class SitesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('sites:write')
  @Post()
  @ApiOperation({ summary: 'Create a site (address, location, time zone, opening hours, category)' })
  @ApiCreatedResponse({ type: SiteView })
  @ApiAuthenticated()
  @ApiOccupancyLimit('sites', 1)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSiteRequest, @Query() _query: NoQueryParams): Promise<SiteView> {
    return this.rpc.call(OCCUPANCY_RPC.createSite, body, { principal });
  }

  @RequirePermission('sites:read')
  @Get()
  @ApiOperation({ summary: 'Sites of the tenant, oldest first; filter by category' })
  @ApiOkResponse({ type: SitePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSitesRequest): Promise<SitePage> {
    return this.rpc.call(OCCUPANCY_RPC.listSites, query, { principal });
  }

  @RequirePermission('sites:read')
  @Get(':id')
  @ApiOperation({ summary: 'One site' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteView> {
    return this.rpc.call(OCCUPANCY_RPC.getSite, { siteId }, { principal });
  }

  @RequirePermission('sites:write')
  @Patch(':id')
  @ApiOperation({ summary: 'Change the fields given (null clears an optional one); the version grows by one' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiVersionConflict('site')
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: UpdateSiteBody, @Query() _query: NoQueryParams): Promise<SiteView> {
    return this.rpc.call(OCCUPANCY_RPC.updateSite, { ...body, siteId }, { principal });
  }

  @RequirePermission('sites:write')
  @Delete(':id')
  @ApiOperation({ summary: 'Delete a site and its zones; refused while it has spaces' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteView, description: 'The site as it was' })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiOccupancyProblem(409, 'CONFLICT', 'The site still has spaces', 'The site still has 12 spaces; delete them first, then the site.', { spaces: 12 })
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteView> {
    return this.rpc.call(OCCUPANCY_RPC.deleteSite, { siteId }, { principal });
  }

  @RequirePermission('sites:write')
  @Post(':id/zones')
  @ApiOperation({ summary: 'Create a zone or level in the site, optionally nested in another of its zones' })
  @ApiParam(SITE_ID_PARAM)
  @ApiCreatedResponse({ type: ZoneView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  createZone(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: CreateZoneBody, @Query() _query: NoQueryParams): Promise<ZoneView> {
    return this.rpc.call(OCCUPANCY_RPC.createZone, { ...body, siteId }, { principal });
  }

  @RequirePermission('sites:read')
  @Get(':id/zones')
  @ApiOperation({ summary: 'Zones of the site, oldest first; filter by parent zone or kind' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: ZonePage })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  listZones(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: ListZonesQuery): Promise<ZonePage> {
    return this.rpc.call(OCCUPANCY_RPC.listZones, { ...query, siteId }, { principal });
  }

  @RequirePermission('sites:read')
  @Get(':id/availability')
  @ApiOperation({
    summary: 'Free, occupied, reserved, maintenance, unknown and total spaces of the site and of each zone',
    description: 'Answered from counts kept current with every change of state; no space is scanned.',
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteAvailabilityResponse })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  availability(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteAvailabilityResponse> {
    return this.rpc.call(OCCUPANCY_RPC.siteAvailability, { siteId }, { principal });
  }
}

