import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  OCCUPANCY_PAGE_MAX,
  OCCUPANCY_RPC,
  type CreateSpaceRequest,
  type DeleteSpaceRequest,
  type ListSitesRequest,
  type ListSpacesRequest,
  type Page,
  type Principal,
  type SiteAvailabilityResponse,
  type SiteRef,
  type SiteView,
  type SpaceRef,
  type UpdateSpaceRequest,
} from '@parking/contracts';
import { DomainError, ValidationFailedError } from '@parking/problem-details';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../identity-routes/dto/no-query-params.dto';
import { UuidParam } from '../identity-routes/dto/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { LEGACY_MANUAL_STATES, LegacyCreateSpaceBody, LegacyOccupancyStatsDto, LegacyOccupancyStatsQuery, LegacySpaceStateBody } from './dto/legacy-spaces.dto';
import { ListSpacesQuery, SpaceDto, SpacePage, UpdateSpaceBody } from './dto/spaces.dto';
import { legacyOccupancyStats } from './legacy-occupancy-stats';
import { OccupancyClient } from './occupancy-client';
import { ApiOccupancyLimit, ApiSiteNotFound, ApiSpaceNotFound, ApiVersionConflict } from './occupancy-problems';
import { ApiSpaceCodeTaken, SPACE_ID_PARAM } from './spaces.controller';

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
  constructor(private readonly occupancy: OccupancyClient) {}

  @RequirePermission('spaces:write')
  @Post()
  @ApiOperation({ summary: 'Alias of POST /api/v1/spaces; also takes the previous body {site_id, code, name}', deprecated: true })
  @ApiCreatedResponse({ type: SpaceDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiOccupancyLimit('spaces', 50)
  @ApiSpaceCodeTaken()
  create(@CurrentPrincipal() principal: Principal, @Body() body: LegacyCreateSpaceBody, @Query() _query: NoQueryParams): Promise<SpaceDto> {
    const { site_id: legacySiteId, siteId, ...space } = body;
    if (legacySiteId !== undefined && siteId !== undefined) {
      throw new ValidationFailedError([{ field: 'site_id', message: 'give siteId or site_id, not both' }]);
    }
    return this.occupancy.send(OCCUPANCY_RPC.createSpace, { principal, siteId: (siteId ?? legacySiteId) as string, ...space } satisfies CreateSpaceRequest);
  }

  @RequirePermission('spaces:read')
  @Get()
  @ApiOperation({ summary: 'Alias of GET /api/v1/spaces', deprecated: true })
  @ApiOkResponse({ type: SpacePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSpacesQuery): Promise<SpacePage> {
    return this.occupancy.send(OCCUPANCY_RPC.listSpaces, { principal, ...query } satisfies ListSpacesRequest);
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
  @ApiOkResponse({ type: LegacyOccupancyStatsDto })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  async occupancyStats(@CurrentPrincipal() principal: Principal, @Query() query: LegacyOccupancyStatsQuery): Promise<LegacyOccupancyStatsDto> {
    const sites = query.siteId ? [await this.occupancy.send<SiteView>(OCCUPANCY_RPC.getSite, { principal, siteId: query.siteId } satisfies SiteRef)] : await this.allSites(principal);
    const counted: Array<{ site: SiteView; availability: SiteAvailabilityResponse } | null> = [];
    for (let start = 0; start < sites.length; start += STATS_CONCURRENCY) {
      counted.push(...(await Promise.all(sites.slice(start, start + STATS_CONCURRENCY).map((site) => this.availabilityOf(principal, site, query.siteId === undefined)))));
    }
    return legacyOccupancyStats(counted.filter((entry): entry is { site: SiteView; availability: SiteAvailabilityResponse } => entry !== null));
  }

  @RequirePermission('spaces:read')
  @Get(':id')
  @ApiOperation({ summary: 'Alias of GET /api/v1/spaces/{id}', deprecated: true })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceDto })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceDto> {
    return this.occupancy.send(OCCUPANCY_RPC.getSpace, { principal, spaceId } satisfies SpaceRef);
  }

  @RequirePermission('spaces:write')
  @Put(':id')
  @ApiOperation({ summary: 'Alias of PATCH /api/v1/spaces/{id}: only the fields given change', deprecated: true })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceDto })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  @ApiVersionConflict('space')
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Body() body: UpdateSpaceBody, @Query() _query: NoQueryParams): Promise<SpaceDto> {
    return this.occupancy.send(OCCUPANCY_RPC.updateSpace, { principal, spaceId, ...body } satisfies UpdateSpaceRequest);
  }

  @RequirePermission('spaces:write')
  @Delete(':id')
  @ApiOperation({ summary: 'Alias of DELETE /api/v1/spaces/{id}', deprecated: true })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceDto, description: 'The space as it was' })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceDto> {
    return this.occupancy.send(OCCUPANCY_RPC.deleteSpace, { principal, spaceId } satisfies DeleteSpaceRequest);
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
  @ApiOkResponse({ type: SpaceDto })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  setState(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Body() body: LegacySpaceStateBody, @Query() _query: NoQueryParams): Promise<SpaceDto> {
    if (body.state === 'maintenance') {
      return this.occupancy.send(OCCUPANCY_RPC.setMaintenance, { principal, spaceId, reason: body.reason ?? null });
    }
    if (body.reason !== undefined && body.reason !== null) {
      throw new ValidationFailedError([{ field: 'reason', message: 'goes with the state maintenance only' }]);
    }
    return this.occupancy.send(OCCUPANCY_RPC.clearMaintenance, { principal, spaceId } satisfies SpaceRef);
  }

  /** Every site of the tenant, page by page. */
  private async allSites(principal: Principal): Promise<SiteView[]> {
    const sites: SiteView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.occupancy.send<Page<SiteView>>(OCCUPANCY_RPC.listSites, { principal, cursor, limit: OCCUPANCY_PAGE_MAX } satisfies ListSitesRequest);
      sites.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return sites;
  }

  /** A site deleted since it was listed is left out rather than failing the whole answer. */
  private async availabilityOf(principal: Principal, site: SiteView, skipMissing: boolean): Promise<{ site: SiteView; availability: SiteAvailabilityResponse } | null> {
    try {
      return { site, availability: await this.occupancy.send<SiteAvailabilityResponse>(OCCUPANCY_RPC.siteAvailability, { principal, siteId: site.id } satisfies SiteRef) };
    } catch (error) {
      if (skipMissing && error instanceof DomainError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }
}
