import { Controller } from '@nestjs/common';
import { CreateZoneRequest, ListZonesRequest, OCCUPANCY_PAGE_DEFAULT, OCCUPANCY_RPC, UpdateZoneRequest, ZonePage, ZoneRef, ZoneView, type ReceivedRpcContext } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { ZonesUseCases } from './zones.use-cases';

@Controller()
export class ZonesRpc {
  constructor(private readonly zones: ZonesUseCases) {}

  @RpcHandler(OCCUPANCY_RPC.createZone)
  create(request: CreateZoneRequest, context: ReceivedRpcContext): Promise<ZoneView> {
    const { siteId, ...zone } = request;
    return this.zones.create(authorised(context, 'sites:write'), siteId, zone);
  }

  @RpcHandler(OCCUPANCY_RPC.listZones)
  list(request: ListZonesRequest, context: ReceivedRpcContext): Promise<ZonePage> {
    const query = { cursor: request.cursor, limit: request.limit ?? OCCUPANCY_PAGE_DEFAULT, parentZoneId: request.parentZoneId, kind: request.kind };
    return this.zones.list(authorised(context, 'sites:read'), request.siteId, query);
  }

  @RpcHandler(OCCUPANCY_RPC.getZone)
  get(request: ZoneRef, context: ReceivedRpcContext): Promise<ZoneView> {
    return this.zones.get(authorised(context, 'sites:read'), request.zoneId);
  }

  @RpcHandler(OCCUPANCY_RPC.updateZone)
  update(request: UpdateZoneRequest, context: ReceivedRpcContext): Promise<ZoneView> {
    const { zoneId, ...changes } = request;
    return this.zones.update(authorised(context, 'sites:write'), zoneId, changes);
  }

  @RpcHandler(OCCUPANCY_RPC.deleteZone)
  remove(request: ZoneRef, context: ReceivedRpcContext): Promise<ZoneView> {
    return this.zones.remove(authorised(context, 'sites:write'), request.zoneId);
  }
}
