import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  OCCUPANCY_RPC,
  type CreateSiteRequest,
  type CreateZoneRequest,
  type DeleteSiteRequest,
  type ListSitesRequest,
  type ListZonesRequest,
  type Principal,
  type SiteAvailabilityRequest,
  type SiteRef,
  type UpdateSiteRequest,
} from '@parking/contracts';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../identity-routes/dto/no-query-params.dto';
import { UuidParam } from '../identity-routes/dto/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { CreateSiteBody, ListSitesQuery, SiteAvailabilityDto, SiteDto, SitePage, UpdateSiteBody } from './dto/sites.dto';
import { CreateZoneBody, ListZonesQuery, ZoneDto, ZonePage } from './dto/zones.dto';
import { ApiOccupancyLimit, ApiOccupancyProblem, ApiSiteNotFound, ApiVersionConflict } from './occupancy-problems';
import { OccupancyClient } from './occupancy-client';

export const SITE_ID_PARAM = { name: 'id', format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10', description: 'The site' } as const;

/** Sites of the caller's tenant, their zones and live availability (owned by occupancy). */
@ApiTags('sites')
@Controller('api/v1/sites')
export class SitesController {
  constructor(private readonly occupancy: OccupancyClient) {}

  @RequirePermission('sites:write')
  @Post()
  @ApiOperation({ summary: 'Create a site (address, location, time zone, opening hours, category)' })
  @ApiCreatedResponse({ type: SiteDto })
  @ApiAuthenticated()
  @ApiOccupancyLimit('sites', 1)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSiteBody, @Query() _query: NoQueryParams): Promise<SiteDto> {
    return this.occupancy.send(OCCUPANCY_RPC.createSite, { principal, ...body } satisfies CreateSiteRequest);
  }

  @RequirePermission('sites:read')
  @Get()
  @ApiOperation({ summary: 'Sites of the tenant, oldest first; filter by category' })
  @ApiOkResponse({ type: SitePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSitesQuery): Promise<SitePage> {
    return this.occupancy.send(OCCUPANCY_RPC.listSites, { principal, ...query } satisfies ListSitesRequest);
  }

  @RequirePermission('sites:read')
  @Get(':id')
  @ApiOperation({ summary: 'One site' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteDto> {
    return this.occupancy.send(OCCUPANCY_RPC.getSite, { principal, siteId } satisfies SiteRef);
  }

  @RequirePermission('sites:write')
  @Patch(':id')
  @ApiOperation({ summary: 'Change the fields given (null clears an optional one); the version grows by one' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiVersionConflict('site')
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: UpdateSiteBody, @Query() _query: NoQueryParams): Promise<SiteDto> {
    return this.occupancy.send(OCCUPANCY_RPC.updateSite, { principal, siteId, ...body } satisfies UpdateSiteRequest);
  }

  @RequirePermission('sites:write')
  @Delete(':id')
  @ApiOperation({ summary: 'Delete a site and its zones; refused while it has spaces' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteDto, description: 'The site as it was' })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiOccupancyProblem(409, 'CONFLICT', 'The site still has spaces', 'The site still has 12 spaces; delete them first, then the site.', { spaces: 12 })
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteDto> {
    return this.occupancy.send(OCCUPANCY_RPC.deleteSite, { principal, siteId } satisfies DeleteSiteRequest);
  }

  @RequirePermission('sites:write')
  @Post(':id/zones')
  @ApiOperation({ summary: 'Create a zone or level in the site, optionally nested in another of its zones' })
  @ApiParam(SITE_ID_PARAM)
  @ApiCreatedResponse({ type: ZoneDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  createZone(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: CreateZoneBody, @Query() _query: NoQueryParams): Promise<ZoneDto> {
    return this.occupancy.send(OCCUPANCY_RPC.createZone, { principal, siteId, ...body } satisfies CreateZoneRequest);
  }

  @RequirePermission('sites:read')
  @Get(':id/zones')
  @ApiOperation({ summary: 'Zones of the site, oldest first; filter by parent zone or kind' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: ZonePage })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  listZones(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: ListZonesQuery): Promise<ZonePage> {
    return this.occupancy.send(OCCUPANCY_RPC.listZones, { principal, siteId, ...query } satisfies ListZonesRequest);
  }

  @RequirePermission('sites:read')
  @Get(':id/availability')
  @ApiOperation({
    summary: 'Free, occupied, reserved, maintenance, unknown and total spaces of the site and of each zone',
    description: 'Answered from counts kept current with every change of state; no space is scanned.',
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteAvailabilityDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  availability(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteAvailabilityDto> {
    return this.occupancy.send(OCCUPANCY_RPC.siteAvailability, { principal, siteId } satisfies SiteAvailabilityRequest);
  }
}

