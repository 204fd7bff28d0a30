import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AVAILABILITY_SPACES_MAX, AvailabilityRequest, AvailabilityView, QuoteRequest, QuoteView, RESERVATIONS_RPC, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated, type RouteProblem } from '../openapi/api-docs.decorators';
import { SPACE_OR_ZONE_NOT_FOUND } from './reservation-docs';

const NOTHING_TO_QUOTE: RouteProblem = {
  code: 'CONFLICT',
  when: 'No tariff is in effect at the site for the window: bookings there are free',
  detail: 'No tariff is in effect at this site for 2026-12-24T10:00:00.000Z; bookings there are free, and there is nothing to quote.',
  instance: '/api/v1/quotes',
};

/** What can be booked, and at what price, before booking it. */
@ApiTags('reservations')
@Controller('api/v1')
export class AvailabilityController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('reservations:read', 'reservations:own')
  @Get('availability')
  @ApiOperation({
    summary: 'Spaces of a site or zone bookable for a whole window, counted by type',
    description:
      'Needs `reservations:read` or `reservations:own`. Give `siteId` or `zoneId` (with its nested zones). A space is available when no active booking overlaps the window, it is not in maintenance, ' +
      `and, for a window that starts now, it is not occupied. Lists at most ${AVAILABILITY_SPACES_MAX} spaces by code; the counts cover all.`,
  })
  @ApiOkResponse({ type: AvailabilityView })
  @ApiAuthenticated(SPACE_OR_ZONE_NOT_FOUND)
  availability(@CurrentPrincipal() principal: Principal, @Query() query: AvailabilityRequest): Promise<AvailabilityView> {
    return this.rpc.call(RESERVATIONS_RPC.availability, query, { principal });
  }

  @RequirePermission('reservations:read', 'reservations:own')
  @Get('quotes')
  @ApiOperation({
    summary: 'The price of booking a space (or any space of a zone) for a window, held until expiresAt',
    description:
      'Needs `reservations:read` or `reservations:own`. Prices the window by the tariff in effect, with the daily maximum, minimum charge, reservation fee and tax; `breakdown` shows how. ' +
      'Each call stores a new quote: pass its `id` as `quoteId` when booking the same space or zone and window to pay this price even if the tariff changes before `expiresAt`. ' +
      'A site without a tariff in effect is 409 CONFLICT (its bookings are free).',
  })
  @ApiOkResponse({ type: QuoteView })
  @ApiAuthenticated(SPACE_OR_ZONE_NOT_FOUND, NOTHING_TO_QUOTE)
  quote(@CurrentPrincipal() principal: Principal, @Query() query: QuoteRequest): Promise<QuoteView> {
    return this.rpc.call(RESERVATIONS_RPC.quote, query, { principal });
  }
}
