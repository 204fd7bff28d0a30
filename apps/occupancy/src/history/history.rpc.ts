import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OCCUPANCY_HISTORY_RPC, Page, SITE_SPACES_INCLUDES, SiteSpacesPage, SpaceTransitionView } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { RequestReader } from '../rpc/request-reader';
import { SpaceHistory } from './space-history';

@Controller()
export class HistoryRpc {
  constructor(private readonly history: SpaceHistory) {}

  @RpcHandler(OCCUPANCY_HISTORY_RPC.spaceTransitions)
  transitions(@Payload() payload: unknown): Promise<Page<SpaceTransitionView>> {
    const principal = authorised(payload, 'spaces:read');
    const input = new RequestReader(payload);
    const spaceId = input.uuid('spaceId');
    const page = input.page();
    const from = input.instant('from');
    const to = input.instant('to');
    if (from && to && from >= to) input.fail('to', 'must be later than from');
    input.done();
    return this.history.transitions(principal, spaceId, { ...page, from, to });
  }

  @RpcHandler(OCCUPANCY_HISTORY_RPC.siteSpaces)
  siteSpaces(@Payload() payload: unknown): Promise<SiteSpacesPage> {
    // It lists spaces (as GET /spaces?siteId= does), so it needs what listing spaces needs.
    const principal = authorised(payload, 'spaces:read');
    const input = new RequestReader(payload);
    const siteId = input.uuid('siteId');
    const page = input.page();
    const include = input.oneOf('include', SITE_SPACES_INCLUDES);
    input.done();
    return this.history.siteSpaces(principal, siteId, { ...page, withState: include === 'state' });
  }
}
