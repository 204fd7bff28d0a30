import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CompressedView, OCCUPANCY_INTEROP_RPC } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { OccupancyDatabase } from '@parking/occupancy/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { authorised } from '@parking/service-runtime';
import { compressView } from './compressed-view';
import { readId } from '../sites/sites.rpc';
import { toDatex2 } from './datex2-mapper';
import { toFiware } from './fiware-mapper';
import { readSiteInventory, SiteInventory } from './site-inventory';

/** A site in FIWARE (NGSI-LD) and DATEX II v3 terms, for other platforms to read. */
@Controller()
export class InteropRpc {
  constructor(@Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase) {}

  @RpcHandler(OCCUPANCY_INTEROP_RPC.siteFiware)
  async fiware(@Payload() payload: unknown): Promise<CompressedView> {
    const principal = authorised(payload, 'sites:read');
    const inventory = await this.inventory(principal.tenantId, readId(payload, 'siteId'));
    return compressView(toFiware(inventory));
  }

  @RpcHandler(OCCUPANCY_INTEROP_RPC.siteDatex2)
  async datex2(@Payload() payload: unknown): Promise<CompressedView> {
    const principal = authorised(payload, 'sites:read');
    const inventory = await this.inventory(principal.tenantId, readId(payload, 'siteId'));
    return compressView(toDatex2(inventory, principal.tenantId, new Date()));
  }

  /** Read in one transaction; mapping and compressing happen after it, holding no connection. */
  private inventory(tenantId: string, siteId: string): Promise<SiteInventory> {
    return this.db.withTenant(tenantId, (tx) => readSiteInventory(tx, siteId));
  }
}
