import { Controller, Inject } from '@nestjs/common';
import { CompressedView, OCCUPANCY_INTEROP_RPC, SiteRef, type ReceivedRpcContext } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { OccupancyDatabase } from '@parking/occupancy/data-access';
import { authorised, TENANT_DATABASE } from '@parking/service-runtime';
import { compressView } from './compressed-view';
import { toDatex2 } from './datex2-mapper';
import { toFiware } from './fiware-mapper';
import { readSiteInventory, SiteInventory } from './site-inventory';

/** A site in FIWARE (NGSI-LD) and DATEX II v3 terms, for other platforms to read. */
@Controller()
export class InteropRpc {
  constructor(@Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase) {}

  @RpcHandler(OCCUPANCY_INTEROP_RPC.siteFiware)
  async fiware(request: SiteRef, context: ReceivedRpcContext): Promise<CompressedView> {
    const principal = authorised(context, 'sites:read');
    return compressView(toFiware(await this.inventory(principal.tenantId, request.siteId)));
  }

  @RpcHandler(OCCUPANCY_INTEROP_RPC.siteDatex2)
  async datex2(request: SiteRef, context: ReceivedRpcContext): Promise<CompressedView> {
    const principal = authorised(context, 'sites:read');
    return compressView(toDatex2(await this.inventory(principal.tenantId, request.siteId), principal.tenantId, new Date()));
  }

  /** Read in one transaction; mapping and compressing happen after it, holding no connection. */
  private inventory(tenantId: string, siteId: string): Promise<SiteInventory> {
    return this.db.withTenant(tenantId, (tx) => readSiteInventory(tx, siteId));
  }
}
