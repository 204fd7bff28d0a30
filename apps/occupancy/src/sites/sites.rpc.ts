import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OCCUPANCY_RPC, Page, SITE_CATEGORIES, SiteAvailabilityResponse, SiteInput, SiteView } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { RequestReader } from '../rpc/request-reader';
import { SiteChanges, SitesUseCases } from './sites.use-cases';

const TIMEOUT_RANGE = { min: 10, max: 30 * 24 * 3600 };

/** The fields of a site present in the payload; `required` ones must be there. */
export function readSite(input: RequestReader, required: boolean): Partial<SiteInput> {
  const site: Partial<SiteInput> = {};
  if (required || input.has('name')) site.name = input.string('name', { max: 200 });
  if (required || input.has('category')) site.category = input.requiredOneOf('category', SITE_CATEGORIES);
  const address = input.nullableString('address', { max: 500 });
  if (address !== undefined) site.address = address;
  const location = input.location();
  if (location !== undefined) site.location = location;
  const timeZone = input.timeZone();
  if (timeZone !== undefined) site.timeZone = timeZone;
  const openingHours = input.openingHours();
  if (openingHours !== undefined) site.openingHours = openingHours;
  const timeout = input.nullableInt('heartbeatTimeoutSeconds', TIMEOUT_RANGE);
  if (timeout !== undefined) site.heartbeatTimeoutSeconds = timeout;
  return site;
}

@Controller()
export class SitesRpc {
  constructor(private readonly sites: SitesUseCases) {}

  @RpcHandler(OCCUPANCY_RPC.createSite)
  create(@Payload() payload: unknown): Promise<SiteView> {
    const principal = authorised(payload, 'sites:write');
    const input = new RequestReader(payload);
    const site = readSite(input, true) as SiteInput;
    input.done();
    return this.sites.create(principal, site);
  }

  @RpcHandler(OCCUPANCY_RPC.listSites)
  list(@Payload() payload: unknown): Promise<Page<SiteView>> {
    const principal = authorised(payload, 'sites:read');
    const input = new RequestReader(payload);
    const query = { ...input.page(), category: input.oneOf('category', SITE_CATEGORIES) };
    input.done();
    return this.sites.list(principal, query);
  }

  @RpcHandler(OCCUPANCY_RPC.getSite)
  get(@Payload() payload: unknown): Promise<SiteView> {
    const principal = authorised(payload, 'sites:read');
    return this.sites.get(principal, readId(payload, 'siteId'));
  }

  @RpcHandler(OCCUPANCY_RPC.updateSite)
  update(@Payload() payload: unknown): Promise<SiteView> {
    const principal = authorised(payload, 'sites:write');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const changes: SiteChanges = { ...readSite(input, false), version: input.int('version', { min: 1, max: 2 ** 31 - 1 }) };
    input.done();
    return this.sites.update(principal, siteId, changes);
  }

  @RpcHandler(OCCUPANCY_RPC.deleteSite)
  remove(@Payload() payload: unknown): Promise<SiteView> {
    const principal = authorised(payload, 'sites:write');
    return this.sites.remove(principal, readId(payload, 'siteId'));
  }

  @RpcHandler(OCCUPANCY_RPC.siteAvailability)
  availability(@Payload() payload: unknown): Promise<SiteAvailabilityResponse> {
    const principal = authorised(payload, 'sites:read');
    return this.sites.availability(principal, readId(payload, 'siteId'));
  }
}

export function readId(payload: unknown, field: string): string {
  const input = new RequestReader(payload);
  const id = input.uuid(field);
  input.done();
  return id;
}
