import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ListSiteSpacesQuery, ListTransitionsQuery, OCCUPANCY_HISTORY_RPC, SiteSpacesPage, SpaceTransitionPage, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiSiteNotFound, ApiSpaceNotFound } from './occupancy-problems';
import { SITE_ID_PARAM } from './sites.controller';
import { SPACE_ID_PARAM } from './spaces.controller';

/** A space's history and a site's snapshot for subscribers (owned by occupancy). */
@ApiTags('spaces')
@Controller('api/v1')
export class HistoryController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('spaces:read')
  @Get('spaces/:id/transitions')
  @ApiOperation({
    summary: "The space's changes of state, newest first: from, to, cause, the reading and when",
    description: '`from` (inclusive) and `to` (exclusive) bound the time of the change.',
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceTransitionPage })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  transitions(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() query: ListTransitionsQuery): Promise<SpaceTransitionPage> {
    return this.rpc.call(OCCUPANCY_HISTORY_RPC.spaceTransitions, { ...query, spaceId }, { principal });
  }

  @RequirePermission('spaces:read')
  @Get('sites/:id/spaces')
  @ApiOperation({
    summary: 'Every space of the site, oldest first (up to 500 a page); with include=state a snapshot of their live state',
    description:
      "To follow a site live, load the snapshot, then apply occupancy.space.state_changed.v1 events only when their `version` is greater than the space's `state.version` here; events with a version at or below it are already reflected.",
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteSpacesPage })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteSpaces(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: ListSiteSpacesQuery): Promise<SiteSpacesPage> {
    return this.rpc.call(OCCUPANCY_HISTORY_RPC.siteSpaces, { ...query, siteId }, { principal });
  }
}
