import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CHIRPSTACK_RPC,
  GATEWAY_PAGE_MAX,
  GATEWAY_STATS_MAX_HOURS,
  CreateGatewayBody,
  GatewayPage,
  GatewayStatsQuery,
  GatewayStatsView,
  GatewayView,
  ListGatewaysRequest,
  UpdateGatewayBody,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { GatewayIdParam } from '../http-params/gateway-id-param';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated, type RouteProblem } from '../openapi/api-docs.decorators';

const GATEWAY_ID_PARAM = { name: 'gatewayId', example: '0016c001f153a14c', description: "The gateway's EUI: 16 hex digits, any case, optionally separated by \"-\" or \":\"" } as const;
const GATEWAY_NOT_FOUND: RouteProblem = {
  code: 'NOT_FOUND',
  when: "No gateway of the tenant has this EUI (another tenant's is the same)",
  detail: 'Gateway "0016c001f153a14c" does not exist.',
  instance: '/api/v1/gateways/0016c001f153a14c',
};
const GATEWAY_CONFLICT: RouteProblem = {
  code: 'CONFLICT',
  when: 'The EUI is registered already (by this or another tenant), or the version is stale',
  detail: 'The gateway 0016c001f153a14c is registered already (by this or another tenant); check the EUI on its label.',
  instance: '/api/v1/gateways',
  extras: { errors: [{ field: 'gatewayId', message: 'is registered already' }] },
};
const SYNC_NOTE =
  'ChirpStack is brought along in the same request (GatewayService.Create, Update or Delete, through the connection named, else the tenant\'s default); when it cannot take the change now, `sync` says why and it is tried again on the next health pass.';
const HEALTH_NOTE =
  "`state` is `online` while ChirpStack calls the gateway online (it sent stats within twice its stats interval) or it relayed an uplink in that time, `offline` after that, `unknown` until first seen; changes are published as chirpstack.gateway.online|offline.v1.";
const STATS_NOTE = `Needs \`gateways:read\`. Uplinks per hour and the RSSI/SNR distribution of the uplinks the gateway relayed (from the uplinks' rxInfo), over the last \`hours\` (1 to ${GATEWAY_STATS_MAX_HOURS}, default 24), and ChirpStack's duty-cycle metrics (GetDutyCycleMetrics) where the connection serves them (\`dutyCycle.unavailable\` says why not).`;

/** LoRa gateways of the tenant's sites (owned by the chirpstack-sync service). */
@ApiTags('gateways')
@Controller('api/v1/gateways')
export class GatewaysController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('gateways:write')
  @Post()
  @ApiOperation({ summary: 'Add a LoRa gateway to a site and to ChirpStack', description: `Needs \`gateways:write\`. The site must be one of the tenant's. ${SYNC_NOTE}` })
  @ApiCreatedResponse({ type: GatewayView })
  @ApiAuthenticated(GATEWAY_CONFLICT)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateGatewayBody, @Query() _query: NoQueryParams): Promise<GatewayView> {
    return this.rpc.call(CHIRPSTACK_RPC.createGateway, body, { principal });
  }

  @RequirePermission('gateways:read')
  @Get()
  @ApiOperation({ summary: "The tenant's gateways, oldest first", description: `Needs \`gateways:read\`. Filters: \`siteId\`, \`state\`. Keyset-paginated: \`limit\` 1 to ${GATEWAY_PAGE_MAX} (default 50). ${HEALTH_NOTE}` })
  @ApiOkResponse({ type: GatewayPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListGatewaysRequest): Promise<GatewayPage> {
    return this.rpc.call(CHIRPSTACK_RPC.listGateways, query, { principal });
  }

  @RequirePermission('gateways:read')
  @Get(':gatewayId')
  @ApiOperation({ summary: 'One gateway, with its health and ChirpStack sync state', description: `Needs \`gateways:read\`. ${HEALTH_NOTE}` })
  @ApiParam(GATEWAY_ID_PARAM)
  @ApiOkResponse({ type: GatewayView })
  @ApiAuthenticated(GATEWAY_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('gatewayId', GatewayIdParam) gatewayId: string, @Query() _query: NoQueryParams): Promise<GatewayView> {
    return this.rpc.call(CHIRPSTACK_RPC.getGateway, { gatewayId }, { principal });
  }

  @RequirePermission('gateways:write')
  @Put(':gatewayId')
  @ApiOperation({ summary: 'Replace a gateway whole (its EUI stays)', description: `Needs \`gateways:write\`. Send the \`version\` you read to get 409 instead of overwriting a newer change. ${SYNC_NOTE}` })
  @ApiParam(GATEWAY_ID_PARAM)
  @ApiOkResponse({ type: GatewayView })
  @ApiAuthenticated(GATEWAY_NOT_FOUND, GATEWAY_CONFLICT)
  update(@CurrentPrincipal() principal: Principal, @Param('gatewayId', GatewayIdParam) gatewayId: string, @Body() body: UpdateGatewayBody, @Query() _query: NoQueryParams): Promise<GatewayView> {
    return this.rpc.call(CHIRPSTACK_RPC.updateGateway, { ...body, gatewayId }, { principal });
  }

  @RequirePermission('gateways:write')
  @Delete(':gatewayId')
  @ApiOperation({ summary: 'Remove a gateway (from ChirpStack too)', description: `Needs \`gateways:write\`. Answers the gateway as it was. ${SYNC_NOTE}` })
  @ApiParam(GATEWAY_ID_PARAM)
  @ApiOkResponse({ type: GatewayView, description: 'The gateway as it was' })
  @ApiAuthenticated(GATEWAY_NOT_FOUND)
  remove(@CurrentPrincipal() principal: Principal, @Param('gatewayId', GatewayIdParam) gatewayId: string, @Query() _query: NoQueryParams): Promise<GatewayView> {
    return this.rpc.call(CHIRPSTACK_RPC.deleteGateway, { gatewayId }, { principal });
  }

  @RequirePermission('gateways:read')
  @Get(':gatewayId/stats')
  @ApiOperation({ summary: "A gateway's statistics: uplinks per hour, RSSI/SNR distribution, duty cycle", description: STATS_NOTE })
  @ApiParam(GATEWAY_ID_PARAM)
  @ApiOkResponse({ type: GatewayStatsView })
  @ApiAuthenticated(GATEWAY_NOT_FOUND)
  stats(@CurrentPrincipal() principal: Principal, @Param('gatewayId', GatewayIdParam) gatewayId: string, @Query() query: GatewayStatsQuery): Promise<GatewayStatsView> {
    return this.rpc.call(CHIRPSTACK_RPC.gatewayStats, { ...query, gatewayId }, { principal });
  }
}

/** The previous platform's gateway routes: list, get and stats, answering in the v1 shape. */
@ApiTags('gateways')
@Controller('api/v6/gateways')
export class GatewaysV6Controller {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('gateways:read')
  @Get()
  @ApiOperation({ summary: 'Gateways (previous platform), answered in the v1 shape', description: 'As GET /api/v1/gateways.' })
  @ApiOkResponse({ type: GatewayPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListGatewaysRequest): Promise<GatewayPage> {
    return this.rpc.call(CHIRPSTACK_RPC.listGateways, query, { principal });
  }

  @RequirePermission('gateways:read')
  @Get(':gatewayId')
  @ApiOperation({ summary: 'One gateway (previous platform), answered in the v1 shape', description: 'As GET /api/v1/gateways/{gatewayId}.' })
  @ApiParam(GATEWAY_ID_PARAM)
  @ApiOkResponse({ type: GatewayView })
  @ApiAuthenticated(GATEWAY_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('gatewayId', GatewayIdParam) gatewayId: string, @Query() _query: NoQueryParams): Promise<GatewayView> {
    return this.rpc.call(CHIRPSTACK_RPC.getGateway, { gatewayId }, { principal });
  }

  @RequirePermission('gateways:read')
  @Get(':gatewayId/stats')
  @ApiOperation({ summary: "A gateway's statistics (previous platform), answered in the v1 shape", description: 'As GET /api/v1/gateways/{gatewayId}/stats.' })
  @ApiParam(GATEWAY_ID_PARAM)
  @ApiOkResponse({ type: GatewayStatsView })
  @ApiAuthenticated(GATEWAY_NOT_FOUND)
  stats(@CurrentPrincipal() principal: Principal, @Param('gatewayId', GatewayIdParam) gatewayId: string, @Query() query: GatewayStatsQuery): Promise<GatewayStatsView> {
    return this.rpc.call(CHIRPSTACK_RPC.gatewayStats, { ...query, gatewayId }, { principal });
  }
}
