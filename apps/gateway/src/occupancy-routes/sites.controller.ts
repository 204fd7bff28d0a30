import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CreateSiteRequest,
  CreateZoneBody,
  ListSitesRequest,
  ListZonesQuery,
  OCCUPANCY_PAGE_MAX,
  OCCUPANCY_RPC,
  SiteAvailabilityResponse,
  SitePage,
  SiteView,
  UpdateSiteBody,
  ZonePage,
  ZONE_MAX_DEPTH,
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

/** How the site and zone lists page. */
const PAGING = `Oldest first, keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${OCCUPANCY_PAGE_MAX} (default 50).`;

/** Sites of the caller's tenant, their zones and live availability (owned by occupancy). */
@ApiTags('sites')
@Controller('api/v1/sites')
export class SitesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('sites:write')
  @Post()
  @ApiOperation({
    summary: 'Create a site (address, location, time zone, opening hours, category)',
    description:
      'Needs `sites:write`. `timeZone` (IANA, default UTC) sets the local hours and days of the statistics; the category is the default of the site’s spaces. ' +
      'The site starts with zero counts. 403 LIMIT_EXCEEDED when the plan’s `sites` limit is reached.',
  })
  @ApiCreatedResponse({ type: SiteView })
  @ApiAuthenticated()
  @ApiOccupancyLimit('sites', 1)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSiteRequest, @Query() _query: NoQueryParams): Promise<SiteView> {
    return this.rpc.call(OCCUPANCY_RPC.createSite, body, { principal });
  }

  @RequirePermission('sites:read')
  @Get()
  @ApiOperation({ summary: 'Sites of the tenant, oldest first; filter by category', description: `Needs \`sites:read\`. ${PAGING}` })
  @ApiOkResponse({ type: SitePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSitesRequest): Promise<SitePage> {
    return this.rpc.call(OCCUPANCY_RPC.listSites, query, { principal });
  }

  @RequirePermission('sites:read')
  @Get(':id')
  @ApiOperation({ summary: 'One site', description: 'Needs `sites:read`. A site of another tenant is 404, like an unknown id.' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteView> {
    return this.rpc.call(OCCUPANCY_RPC.getSite, { siteId }, { principal });
  }

  @RequirePermission('sites:write')
  @Patch(':id')
  @ApiOperation({
    summary: 'Change the fields given (null clears an optional one); the version grows by one',
    description:
      'Needs `sites:write`. Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change; without it the change always applies. ' +
      'A site of another tenant is 404, like an unknown id.',
  })
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
  @ApiOperation({
    summary: 'Delete a site and its zones; refused while it has spaces',
    description:
      'Needs `sites:write`. While the site has spaces the answer is 409 CONFLICT with their number in `spaces`: delete them first. Answers the site as it was; its zones and counts go with it. ' +
      'A site of another tenant is 404, like an unknown id.',
  })
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
  @ApiOperation({
    summary: 'Create a zone or level in the site, optionally nested in another of its zones',
    description:
      `Needs \`sites:write\`. \`kind\` is zone (default) or level. \`parentZoneId\` must be a zone of the same site, at most ${ZONE_MAX_DEPTH} deep (400 otherwise), and cannot change later; a nested zone’s spaces count in every zone above it. ` +
      'A site of another tenant is 404.',
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiCreatedResponse({ type: ZoneView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  createZone(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: CreateZoneBody, @Query() _query: NoQueryParams): Promise<ZoneView> {
    return this.rpc.call(OCCUPANCY_RPC.createZone, { ...body, siteId }, { principal });
  }

  @RequirePermission('sites:read')
  @Get(':id/zones')
  @ApiOperation({
    summary: 'Zones of the site, oldest first; filter by parent zone or kind',
    description: `Needs \`sites:read\`. \`parentZoneId\` lists only the zones nested directly in that zone. ${PAGING} A site of another tenant is 404.`,
  })
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

