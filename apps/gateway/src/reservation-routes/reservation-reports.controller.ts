import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RESERVATIONS_RPC, REVENUE_RANGE_MAX_DAYS, ReservationStatsRequest, ReservationStatsView, RevenueRequest, RevenueView, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { SITE_NOT_FOUND } from './reservation-docs';

/**
 * What bookings add up to, for who runs the car park (`revenue:read`). Registered before the
 * reservation routes, so `/reservations/stats` is never read as a reservation id.
 */
@ApiTags('reservations')
@Controller('api/v1')
export class ReservationReportsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('revenue:read')
  @Get('reservations/stats')
  @ApiOperation({
    summary: 'Bookings by state, the no-show rate and the average lead time, of the tenant or one site',
    description:
      'Needs `revenue:read`. Counts the bookings whose window starts in [from, to): `to` defaults to now, `from` to 30 days before `to`, at most 366 days apart. ' +
      'The no-show rate is no_show ÷ (completed + no_show + checked_in); the lead time runs from booking to start.',
  })
  @ApiOkResponse({ type: ReservationStatsView })
  @ApiAuthenticated(SITE_NOT_FOUND)
  stats(@CurrentPrincipal() principal: Principal, @Query() query: ReservationStatsRequest): Promise<ReservationStatsView> {
    return this.rpc.call(RESERVATIONS_RPC.stats, query, { principal });
  }

  @RequirePermission('revenue:read')
  @Get('revenue')
  @ApiOperation({
    summary: "A site's charges per local day, zone or space, with totals per currency",
    description:
      `Needs \`revenue:read\`. \`from\` and \`to\` are local days of the site (inclusive), at most ${REVENUE_RANGE_MAX_DAYS} days apart; a charge counts on the local day it was made. ` +
      'Charges are what bookings cost once used or forfeited, cancellation fees and overstays, in minor units.',
  })
  @ApiOkResponse({ type: RevenueView })
  @ApiAuthenticated(SITE_NOT_FOUND)
  revenue(@CurrentPrincipal() principal: Principal, @Query() query: RevenueRequest): Promise<RevenueView> {
    return this.rpc.call(RESERVATIONS_RPC.revenue, query, { principal });
  }
}
