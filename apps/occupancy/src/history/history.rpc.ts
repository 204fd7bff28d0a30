import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OCCUPANCY_HISTORY_RPC, Page, SITE_SPACES_INCLUDES, SiteSpacesPage, SpaceTransitionView } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { RequestReader } from '../rpc/request-reader';
import { SpaceHistory } from './space-history';

/** An RFC 3339 instant with a time zone (what the gateway accepts as `from` / `to`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

function readInstant(input: RequestReader, field: string): Date | undefined {
  if (!input.has(field)) return undefined;
  const value = input.string(field, { max: 40, pattern: INSTANT, hint: 'must be an RFC 3339 date-time with a time zone, e.g. 2026-12-01T00:00:00Z' });
  const at = new Date(value);
  if (value && Number.isNaN(at.getTime())) {
    input.fail(field, 'must be a valid date-time');
    return undefined;
  }
  return value ? at : undefined;
}

@Controller()
export class HistoryRpc {
  constructor(private readonly history: SpaceHistory) {}

  @RpcHandler(OCCUPANCY_HISTORY_RPC.spaceTransitions)
  transitions(@Payload() payload: unknown): Promise<Page<SpaceTransitionView>> {
    const principal = authorised(payload, 'spaces:read');
    const input = new RequestReader(payload);
    const spaceId = input.uuid('spaceId');
    const page = input.page();
    const from = readInstant(input, 'from');
    const to = readInstant(input, 'to');
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
