import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  BindDisplayBody,
  CommandPage,
  DISPLAY_PAGE_MAX,
  DisplayPage,
  DisplayStatsView,
  DisplayView,
  DOWNLINK_RPC,
  ListDisplaysRequest,
  OVERRIDE_MAX_DAYS,
  OverrideBody,
  PageQueryOf,
  SignageStatsQuery,
  UpdateDisplayBody,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { DEVICE_BOUND, DISPLAY_ID_PARAM, DISPLAY_NOT_FOUND, DISPLAY_TARGET_NOT_FOUND, DISPLAY_VERSION_CONFLICT, HOW_SIGNS_DECIDE } from './signage-docs';

class CommandPageQuery extends PageQueryOf(DISPLAY_PAGE_MAX) {}

/** Displays (bay lights and count signs), their overrides, history and statistics (owned by the downlink service). */
@ApiTags('signage')
@Controller('api/v1/displays')
export class DisplaysController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('displays:write')
  @Post()
  @ApiOperation({
    summary: 'Bind a display device to a space (a bay light) or to a zone or site (a count sign)',
    description: `Needs \`displays:write\`. The device must be registered (POST /api/v1/devices) with kind \`display\` and a display codec; 400 otherwise. ${HOW_SIGNS_DECIDE} Its first frame is queued at once.`,
  })
  @ApiCreatedResponse({ type: DisplayView })
  @ApiAuthenticated(DISPLAY_TARGET_NOT_FOUND, DEVICE_BOUND)
  bind(@CurrentPrincipal() principal: Principal, @Body() body: BindDisplayBody, @Query() _query: NoQueryParams): Promise<DisplayView> {
    return this.rpc.call(DOWNLINK_RPC.bind, body, { principal });
  }

  @RequirePermission('displays:read')
  @Get()
  @ApiOperation({
    summary: "The tenant's displays, oldest first",
    description: `Needs \`displays:read\`. Filter by site, by what they show (\`targetId\`) or by \`faulty\`. Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${DISPLAY_PAGE_MAX} (default 50).`,
  })
  @ApiOkResponse({ type: DisplayPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListDisplaysRequest): Promise<DisplayPage> {
    return this.rpc.call(DOWNLINK_RPC.list, query, { principal });
  }

  @RequirePermission('displays:read')
  @Get(':id')
  @ApiOperation({ summary: 'One display: what it shows, its override, its gateway and whether it is faulty', description: 'Needs `displays:read`. A display of another tenant is 404, like an unknown id.' })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: DisplayView })
  @ApiAuthenticated(DISPLAY_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Query() _query: NoQueryParams): Promise<DisplayView> {
    return this.rpc.call(DOWNLINK_RPC.get, { displayId }, { principal });
  }

  @RequirePermission('displays:write')
  @Put(':id')
  @ApiOperation({
    summary: 'Rebind a display whole (name, target, arrow); the version grows by one',
    description: 'Needs `displays:write`. Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change. What it shows follows at once.',
  })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: DisplayView })
  @ApiAuthenticated(DISPLAY_NOT_FOUND, DISPLAY_VERSION_CONFLICT)
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Body() body: UpdateDisplayBody, @Query() _query: NoQueryParams): Promise<DisplayView> {
    return this.rpc.call(DOWNLINK_RPC.update, { ...body, displayId }, { principal });
  }

  @RequirePermission('displays:write')
  @Delete(':id')
  @ApiOperation({
    summary: 'Unbind a display: its queue and history go with it; the sign keeps what it shows',
    description: 'Needs `displays:write`. Answers the display as it was. The device stays registered and may be bound again.',
  })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: DisplayView, description: 'The display as it was' })
  @ApiAuthenticated(DISPLAY_NOT_FOUND)
  unbind(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Query() _query: NoQueryParams): Promise<DisplayView> {
    return this.rpc.call(DOWNLINK_RPC.unbind, { displayId }, { principal });
  }

  @RequirePermission('displays:write')
  @Put(':id/override')
  @ApiOperation({
    summary: 'Show something else until a time, with a reason',
    description:
      `Needs \`displays:write\`. The override goes out first in the queue, and the display goes back to its policy at \`expiresAt\` (in the future, at most ${OVERRIDE_MAX_DAYS} days ahead). ` +
      'A bay light shows the colour as it blinks; a count sign also `count` and `text`. Setting it again replaces it.',
  })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: DisplayView })
  @ApiAuthenticated(DISPLAY_NOT_FOUND)
  setOverride(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Body() body: OverrideBody, @Query() _query: NoQueryParams): Promise<DisplayView> {
    return this.rpc.call(DOWNLINK_RPC.setOverride, { ...body, displayId }, { principal });
  }

  @RequirePermission('displays:write')
  @Delete(':id/override')
  @ApiOperation({ summary: 'End its override now: the display goes back to its policy', description: 'Needs `displays:write`. A display without an override is answered as it is.' })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: DisplayView })
  @ApiAuthenticated(DISPLAY_NOT_FOUND)
  clearOverride(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Query() _query: NoQueryParams): Promise<DisplayView> {
    return this.rpc.call(DOWNLINK_RPC.clearOverride, { displayId }, { principal });
  }

  @RequirePermission('displays:write')
  @Post(':id/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send what it should show again, even if it is known to show it',
    description: 'Needs `displays:write`. For a sign that was power-cycled or replaced. Queued at the lowest priority, within the airtime budget like any frame.',
  })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: DisplayView })
  @ApiAuthenticated(DISPLAY_NOT_FOUND)
  refresh(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Query() _query: NoQueryParams): Promise<DisplayView> {
    return this.rpc.call(DOWNLINK_RPC.refresh, { displayId }, { principal });
  }

  @RequirePermission('displays:read')
  @Get(':id/commands')
  @ApiOperation({
    summary: "The display's command history, newest first",
    description: `Needs \`displays:read\`. Each command with its wish, frame, ChirpStack queue item id and every step (queued, coalesced, sent, txack, ack, echo, failed, superseded, dead) with its time. \`limit\` 1 to ${DISPLAY_PAGE_MAX} (default 50).`,
  })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: CommandPage })
  @ApiAuthenticated(DISPLAY_NOT_FOUND)
  commands(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Query() query: CommandPageQuery): Promise<CommandPage> {
    return this.rpc.call(DOWNLINK_RPC.commands, { ...query, displayId }, { principal });
  }

  @RequirePermission('displays:read')
  @Get(':id/stats')
  @ApiOperation({ summary: 'Commands queued, sent, confirmed and failed, and their airtime, over the last hours', description: 'Needs `displays:read`.' })
  @ApiParam(DISPLAY_ID_PARAM)
  @ApiOkResponse({ type: DisplayStatsView })
  @ApiAuthenticated(DISPLAY_NOT_FOUND)
  stats(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) displayId: string, @Query() query: SignageStatsQuery): Promise<DisplayStatsView> {
    return this.rpc.call(DOWNLINK_RPC.displayStats, { ...query, displayId }, { principal });
  }
}
