import { Controller } from '@nestjs/common';
import {
  CHIRPSTACK_RPC,
  GATEWAY_PAGE_MAX,
  type CreateGatewayRequest,
  type GatewayPage,
  type GatewayRef,
  type GatewayStatsRequest,
  type GatewayStatsView,
  type GatewayView,
  type ListGatewaysRequest,
  type ReceivedRpcContext,
  type UpdateGatewayRequest,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { GatewayStats } from './gateway-stats';
import { GatewaysUseCase } from './gateways.use-case';

const PAGE_DEFAULT = 50;
const STATS_HOURS_DEFAULT = 24;

@Controller()
export class GatewaysRpc {
  constructor(
    private readonly gateways: GatewaysUseCase,
    private readonly stats: GatewayStats,
  ) {}

  @RpcHandler(CHIRPSTACK_RPC.createGateway)
  create(request: CreateGatewayRequest, context: ReceivedRpcContext): Promise<GatewayView> {
    return this.gateways.create(authorised(context, 'gateways:write'), request);
  }

  @RpcHandler(CHIRPSTACK_RPC.listGateways)
  list(request: ListGatewaysRequest, context: ReceivedRpcContext): Promise<GatewayPage> {
    return this.gateways.list(authorised(context, 'gateways:read'), request, Math.min(request.limit ?? PAGE_DEFAULT, GATEWAY_PAGE_MAX));
  }

  @RpcHandler(CHIRPSTACK_RPC.getGateway)
  get(request: GatewayRef, context: ReceivedRpcContext): Promise<GatewayView> {
    return this.gateways.get(authorised(context, 'gateways:read'), request.gatewayId);
  }

  @RpcHandler(CHIRPSTACK_RPC.updateGateway)
  update(request: UpdateGatewayRequest, context: ReceivedRpcContext): Promise<GatewayView> {
    const { gatewayId, ...body } = request;
    return this.gateways.update(authorised(context, 'gateways:write'), gatewayId, body);
  }

  @RpcHandler(CHIRPSTACK_RPC.deleteGateway)
  remove(request: GatewayRef, context: ReceivedRpcContext): Promise<GatewayView> {
    return this.gateways.remove(authorised(context, 'gateways:write'), request.gatewayId);
  }

  @RpcHandler(CHIRPSTACK_RPC.gatewayStats)
  statsOf(request: GatewayStatsRequest, context: ReceivedRpcContext): Promise<GatewayStatsView> {
    return this.stats.of(authorised(context, 'gateways:read'), request.gatewayId, request.hours ?? STATS_HOURS_DEFAULT);
  }
}
