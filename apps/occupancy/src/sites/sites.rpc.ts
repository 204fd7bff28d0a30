import { Controller } from '@nestjs/common';
import {
  CreateSiteRequest,
  ListSitesRequest,
  OCCUPANCY_PAGE_DEFAULT,
  OCCUPANCY_RPC,
  SiteAvailabilityResponse,
  SitePage,
  SiteRef,
  SiteView,
  UpdateSiteRequest,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { SitesUseCases } from './sites.use-cases';

@Controller()
export class SitesRpc {
  constructor(private readonly sites: SitesUseCases) {}

  @RpcHandler(OCCUPANCY_RPC.createSite)
  create(request: CreateSiteRequest, context: ReceivedRpcContext): Promise<SiteView> {
    return this.sites.create(authorised(context, 'sites:write'), request);
  }

  @RpcHandler(OCCUPANCY_RPC.listSites)
  list(request: ListSitesRequest, context: ReceivedRpcContext): Promise<SitePage> {
    const query = { cursor: request.cursor, limit: request.limit ?? OCCUPANCY_PAGE_DEFAULT, category: request.category };
    return this.sites.list(authorised(context, 'sites:read'), query);
  }

  @RpcHandler(OCCUPANCY_RPC.getSite)
  get(request: SiteRef, context: ReceivedRpcContext): Promise<SiteView> {
    return this.sites.get(authorised(context, 'sites:read'), request.siteId);
  }

  @RpcHandler(OCCUPANCY_RPC.updateSite)
  update(request: UpdateSiteRequest, context: ReceivedRpcContext): Promise<SiteView> {
    const { siteId, ...changes } = request;
    return this.sites.update(authorised(context, 'sites:write'), siteId, changes);
  }

  @RpcHandler(OCCUPANCY_RPC.deleteSite)
  remove(request: SiteRef, context: ReceivedRpcContext): Promise<SiteView> {
    return this.sites.remove(authorised(context, 'sites:write'), request.siteId);
  }

  @RpcHandler(OCCUPANCY_RPC.siteAvailability)
  availability(request: SiteRef, context: ReceivedRpcContext): Promise<SiteAvailabilityResponse> {
    return this.sites.availability(authorised(context, 'sites:read'), request.siteId);
  }
}
