import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OCCUPANCY_RPC, Page, ZONE_KINDS, ZoneView } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { RequestReader } from '../rpc/request-reader';
import { readId } from '../sites/sites.rpc';
import { ZonesUseCases } from './zones.use-cases';

@Controller()
export class ZonesRpc {
  constructor(private readonly zones: ZonesUseCases) {}

  @RpcHandler(OCCUPANCY_RPC.createZone)
  create(@Payload() payload: unknown): Promise<ZoneView> {
    const principal = authorised(payload, 'sites:write');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const zone = { name: input.string('name', { max: 200 }), kind: input.oneOf('kind', ZONE_KINDS), parentZoneId: input.nullableUuid('parentZoneId') };
    input.done();
    return this.zones.create(principal, siteId, zone);
  }

  @RpcHandler(OCCUPANCY_RPC.listZones)
  list(@Payload() payload: unknown): Promise<Page<ZoneView>> {
    const principal = authorised(payload, 'sites:read');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const query = { ...input.page(), parentZoneId: input.nullableUuid('parentZoneId') ?? undefined, kind: input.oneOf('kind', ZONE_KINDS) };
    input.done();
    return this.zones.list(principal, siteId, query);
  }

  @RpcHandler(OCCUPANCY_RPC.getZone)
  get(@Payload() payload: unknown): Promise<ZoneView> {
    const principal = authorised(payload, 'sites:read');
    return this.zones.get(principal, readId(payload, 'zoneId'));
  }

  @RpcHandler(OCCUPANCY_RPC.updateZone)
  update(@Payload() payload: unknown): Promise<ZoneView> {
    const principal = authorised(payload, 'sites:write');
    const input = new RequestReader(payload);
    const zoneId = input.uuid('zoneId');
    if (input.has('parentZoneId')) input.fail('parentZoneId', 'cannot change: create a zone under the new parent and move the spaces');
    const changes = {
      name: input.has('name') ? input.string('name', { max: 200 }) : undefined,
      kind: input.oneOf('kind', ZONE_KINDS),
      version: input.int('version', { min: 1, max: 2 ** 31 - 1 }),
    };
    input.done();
    return this.zones.update(principal, zoneId, changes);
  }

  @RpcHandler(OCCUPANCY_RPC.deleteZone)
  remove(@Payload() payload: unknown): Promise<ZoneView> {
    const principal = authorised(payload, 'sites:write');
    return this.zones.remove(principal, readId(payload, 'zoneId'));
  }
}
