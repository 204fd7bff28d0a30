import { Controller } from '@nestjs/common';
import { ListSiteSpacesRequest, ListSpaceTransitionsRequest, OCCUPANCY_HISTORY_RPC, OCCUPANCY_PAGE_DEFAULT, SiteSpacesPage, SpaceTransitionPage, type ReceivedRpcContext } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { SpaceHistory } from './space-history';

const instant = (value: string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));

@Controller()
export class HistoryRpc {
  constructor(private readonly history: SpaceHistory) {}

  @RpcHandler(OCCUPANCY_HISTORY_RPC.spaceTransitions)
  transitions(request: ListSpaceTransitionsRequest, context: ReceivedRpcContext): Promise<SpaceTransitionPage> {
    const query = { cursor: request.cursor, limit: request.limit ?? OCCUPANCY_PAGE_DEFAULT, from: instant(request.from), to: instant(request.to) };
    return this.history.transitions(authorised(context, 'spaces:read'), request.spaceId, query);
  }

  @RpcHandler(OCCUPANCY_HISTORY_RPC.siteSpaces)
  siteSpaces(request: ListSiteSpacesRequest, context: ReceivedRpcContext): Promise<SiteSpacesPage> {
    // It lists spaces (as GET /spaces?siteId= does), so it needs what listing spaces needs.
    const principal = authorised(context, 'spaces:read');
    const query = { cursor: request.cursor, limit: request.limit ?? OCCUPANCY_PAGE_DEFAULT, withState: request.include === 'state' };
    return this.history.siteSpaces(principal, request.siteId, query);
  }
}
