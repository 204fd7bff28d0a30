import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  LegacyOccupancyStats,
  LegacyOccupancyStatsQuery,
  ListSpacesRequest,
  OCCUPANCY_PAGE_MAX,
  OCCUPANCY_RPC,
  SpacePage,
  SpaceView,
  UpdateSpaceBody,
  type Principal,
  type SiteAvailabilityResponse,
  type SiteView,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError, ValidationFailedError } from '@parking/problem-details';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { createSpaceRequestOf, LEGACY_MANUAL_STATES, LegacyCreateSpaceBody, LegacySpaceStateBody } from './dto/legacy-spaces.dto';
import { legacyOccupancyStats } from './legacy-occupancy-stats';
import { ApiOccupancyLimit, ApiSiteNotFound, ApiSpaceNotFound, ApiVersionConflict } from './occupancy-problems';
import { ApiSpaceCodeTaken, SPACE_ID_PARAM } from './spaces.controller';

/** The opening of each alias's description: which v1 route it stands for. */
const aliasOf = (route: string): string => `Deprecated alias of ${route}, kept for clients of the previous platform`;

/** Availability requests in flight at once while gathering statistics over many sites. */
const STATS_CONCURRENCY = 8;

/**
 * The previous platform's space routes, kept for its clients: the same answers as
 * /api/v1/spaces, plus the old create body, the manual state route and the occupancy
 * statistics (from the live counts; the full history statistics are a later addition).
 */
@ApiTags('spaces')
@Controller('api/v6/spaces')
export class LegacySpacesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('spaces:write')
  @Post()
  @ApiOperation({
    summary: 'Alias of POST /api/v1/spaces; also takes the previous body {site_id, code, name}',
    description:
      `${aliasOf('POST /api/v1/spaces')}; same answer and errors. Needs \`spaces:write\`. ` +
      'Besides the v1 body it takes the site as the snake_case `site_id`; naming the site both ways is 400.',
    deprecated: true,
  })
  @ApiCreatedResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiOccupancyLimit('spaces', 50)
  @ApiSpaceCodeTaken()
  create(@CurrentPrincipal() principal: Principal, @Body() body: LegacyCreateSpaceBody, @Query() _query: NoQueryParams): Promise<SpaceView> {
    const request = createSpaceRequestOf(body);
    if (!request) throw new ValidationFailedError([{ field: 'site_id', message: 'give siteId or site_id, not both' }]);
    return this.rpc.call(OCCUPANCY_RPC.createSpace, request, { principal });
  }

  @RequirePermission('spaces:read')
  @Get()
  @ApiOperation({
    summary: 'Alias of GET /api/v1/spaces',
    description: `${aliasOf('GET /api/v1/spaces')}; same query parameters, answer and errors. Needs \`spaces:read\`.`,
    deprecated: true,
  })
  @ApiOkResponse({ type: SpacePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSpacesRequest): Promise<SpacePage> {
    return this.rpc.call(OCCUPANCY_RPC.listSpaces, query, { principal });
  }

  @RequirePermission('sites:read')
  @Get('stats/occupancy')
  @ApiOperation({
    summary: 'Free, occupied and total spaces per site and over all sites, with the share occupied now',
    description:
      "Answered from each site's live availability counts: occupancyRate = occupied / total (every space, whatever its state). " +
      'Statistics over time (per hour, dwell time, turnover) are not part of this answer.',
    deprecated: true,
  })
  @ApiOkResponse({ type: LegacyOccupancyStats })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  async occupancyStats(@CurrentPrincipal() principal: Principal, @Query() query: LegacyOccupancyStatsQuery): Promise<LegacyOccupancyStats> {
    const sites = query.siteId ? [await this.rpc.call(OCCUPANCY_RPC.getSite, { siteId: query.siteId }, { principal })] : await this.allSites(principal);
    const counted: Array<{ site: SiteView; availability: SiteAvailabilityResponse } | null> = [];
    for (let start = 0; start < sites.length; start += STATS_CONCURRENCY) {
      counted.push(...(await Promise.all(sites.slice(start, start + STATS_CONCURRENCY).map((site) => this.availabilityOf(principal, site, query.siteId === undefined)))));
    }
    return legacyOccupancyStats(counted.filter((entry): entry is { site: SiteView; availability: SiteAvailabilityResponse } => entry !== null));
  }

  @RequirePermission('spaces:read')
  @Get(':id')
  @ApiOperation({
    summary: 'Alias of GET /api/v1/spaces/{id}',
    description: `${aliasOf('GET /api/v1/spaces/{id}')}; same answer and errors. Needs \`spaces:read\`.`,
    deprecated: true,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.getSpace, { spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Put(':id')
  @ApiOperation({
    summary: 'Alias of PATCH /api/v1/spaces/{id}: only the fields given change',
    description:
      `${aliasOf('PATCH /api/v1/spaces/{id}')}; same body, answer and errors. Needs \`spaces:write\`. ` +
      'Although the method is PUT, it is no replacement: fields left out keep their values.',
    deprecated: true,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  @ApiVersionConflict('space')
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Body() body: UpdateSpaceBody, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.updateSpace, { ...body, spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Delete(':id')
  @ApiOperation({
    summary: 'Alias of DELETE /api/v1/spaces/{id}',
    description: `${aliasOf('DELETE /api/v1/spaces/{id}')}; same answer and errors. Needs \`spaces:write\`.`,
    deprecated: true,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView, description: 'The space as it was' })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.deleteSpace, { spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Put(':id/state')
  @ApiOperation({
    summary: 'Set a state by hand, mapped onto the maintenance override',
    description:
      `state is one of ${LEGACY_MANUAL_STATES.join(', ')}. maintenance sets the override (as PUT /api/v1/spaces/{id}/maintenance, with the optional reason); ` +
      'free and occupied clear it (as DELETE /api/v1/spaces/{id}/maintenance), after which the space shows what its sensor says, so the answer may differ from the state sent. ' +
      'reserved and unknown cannot be set by hand: they follow from reservations and sensor silence.',
    deprecated: true,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  setState(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Body() body: LegacySpaceStateBody, @Query() _query: NoQueryParams): Promise<SpaceView> {
    if (body.state === 'maintenance') {
      return this.rpc.call(OCCUPANCY_RPC.setMaintenance, { spaceId, reason: body.reason }, { principal });
    }
    if (body.reason !== undefined && body.reason !== null) {
      throw new ValidationFailedError([{ field: 'reason', message: 'goes with the state maintenance only' }]);
    }
    return this.rpc.call(OCCUPANCY_RPC.clearMaintenance, { spaceId }, { principal });
  }

  /** Every site of the tenant, page by page. */
  private async allSites(principal: Principal): Promise<SiteView[]> {
    const sites: SiteView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.rpc.call(OCCUPANCY_RPC.listSites, { cursor, limit: OCCUPANCY_PAGE_MAX }, { principal });
      sites.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return sites;
  }

  /** A site deleted since it was listed is left out rather than failing the whole answer. */
  private async availabilityOf(principal: Principal, site: SiteView, skipMissing: boolean): Promise<{ site: SiteView; availability: SiteAvailabilityResponse } | null> {
    try {
      return { site, availability: await this.rpc.call(OCCUPANCY_RPC.siteAvailability, { siteId: site.id }, { principal }) };
    } catch (error) {
      if (skipMissing && error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }
}
