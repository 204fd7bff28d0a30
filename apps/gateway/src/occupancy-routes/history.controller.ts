import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OCCUPANCY_HISTORY_RPC, type ListSiteSpacesRequest, type ListSpaceTransitionsRequest, type OccupancyHistoryRpcSubject, type Principal } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { GatewayConfig } from '../config';
import { UuidParam } from '../identity-routes/dto/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ListSiteSpacesQuery, ListTransitionsQuery, SiteSpacePage, SpaceTransitionPage } from './history.dto';
import { ApiSiteNotFound, ApiSpaceNotFound } from './occupancy-problems';
import { SITE_ID_PARAM } from './sites.controller';
import { SPACE_ID_PARAM } from './spaces.controller';

/** A space's history and a site's snapshot for subscribers (owned by occupancy). */
@ApiTags('spaces')
@Controller('api/v1')
export class HistoryController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

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
    return this.send(OCCUPANCY_HISTORY_RPC.spaceTransitions, { principal, spaceId, ...query } satisfies ListSpaceTransitionsRequest);
  }

  @RequirePermission('spaces:read')
  @Get('sites/:id/spaces')
  @ApiOperation({
    summary: 'Every space of the site, oldest first (up to 500 a page); with include=state a snapshot of their live state',
    description:
      "To follow a site live, load the snapshot, then apply occupancy.space.state_changed.v1 events only when their `version` is greater than the space's `state.version` here; events with a version at or below it are already reflected.",
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteSpacePage })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  siteSpaces(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() query: ListSiteSpacesQuery): Promise<SiteSpacePage> {
    return this.send(OCCUPANCY_HISTORY_RPC.siteSpaces, { principal, siteId, ...query } satisfies ListSiteSpacesRequest);
  }

  private send<TResponse>(subject: OccupancyHistoryRpcSubject, request: unknown): Promise<TResponse> {
    return this.rpc.send<unknown, TResponse>(subject, request, { timeoutMs: this.config.rpc.timeoutMs });
  }
}
