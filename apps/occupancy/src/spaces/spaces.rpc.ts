import { Controller } from '@nestjs/common';
import {
  AssignSensorRequest,
  CreateSpaceRequest,
  ListSpacesRequest,
  OCCUPANCY_PAGE_DEFAULT,
  OCCUPANCY_RPC,
  SetMaintenanceRequest,
  SpacePage,
  SpaceRef,
  SpaceView,
  UpdateSpaceRequest,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { SpacesUseCases } from './spaces.use-cases';

@Controller()
export class SpacesRpc {
  constructor(private readonly spaces: SpacesUseCases) {}

  @RpcHandler(OCCUPANCY_RPC.createSpace)
  create(request: CreateSpaceRequest, context: ReceivedRpcContext): Promise<SpaceView> {
    const { siteId, ...space } = request;
    return this.spaces.create(authorised(context, 'spaces:write'), siteId, space);
  }

  @RpcHandler(OCCUPANCY_RPC.listSpaces)
  list(request: ListSpacesRequest, context: ReceivedRpcContext): Promise<SpacePage> {
    const { cursor, limit, siteId, zoneId, state, type, tag } = request;
    return this.spaces.list(authorised(context, 'spaces:read'), { cursor, limit: limit ?? OCCUPANCY_PAGE_DEFAULT, siteId, zoneId, state, type, tag });
  }

  @RpcHandler(OCCUPANCY_RPC.getSpace)
  get(request: SpaceRef, context: ReceivedRpcContext): Promise<SpaceView> {
    return this.spaces.get(authorised(context, 'spaces:read'), request.spaceId);
  }

  @RpcHandler(OCCUPANCY_RPC.updateSpace)
  update(request: UpdateSpaceRequest, context: ReceivedRpcContext): Promise<SpaceView> {
    const { spaceId, ...changes } = request;
    return this.spaces.update(authorised(context, 'spaces:write'), spaceId, changes);
  }

  @RpcHandler(OCCUPANCY_RPC.deleteSpace)
  remove(request: SpaceRef, context: ReceivedRpcContext): Promise<SpaceView> {
    return this.spaces.remove(authorised(context, 'spaces:write'), request.spaceId);
  }

  @RpcHandler(OCCUPANCY_RPC.assignSensor)
  assignSensor(request: AssignSensorRequest, context: ReceivedRpcContext): Promise<SpaceView> {
    return this.spaces.assignSensor(authorised(context, 'spaces:write'), request.spaceId, request.devEui);
  }

  @RpcHandler(OCCUPANCY_RPC.unassignSensor)
  unassignSensor(request: SpaceRef, context: ReceivedRpcContext): Promise<SpaceView> {
    return this.spaces.unassignSensor(authorised(context, 'spaces:write'), request.spaceId);
  }

  @RpcHandler(OCCUPANCY_RPC.setMaintenance)
  setMaintenance(request: SetMaintenanceRequest, context: ReceivedRpcContext): Promise<SpaceView> {
    return this.spaces.setMaintenance(authorised(context, 'spaces:write'), request.spaceId, request.reason ?? null);
  }

  @RpcHandler(OCCUPANCY_RPC.clearMaintenance)
  clearMaintenance(request: SpaceRef, context: ReceivedRpcContext): Promise<SpaceView> {
    return this.spaces.clearMaintenance(authorised(context, 'spaces:write'), request.spaceId);
  }
}
