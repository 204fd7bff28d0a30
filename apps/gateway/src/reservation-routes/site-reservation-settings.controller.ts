import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PutSiteSettingsBody, RESERVATIONS_RPC, SiteSettingsView, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { SITE_ID_PARAM } from '../occupancy-routes/sites.controller';
import { ApiAuthenticated, type RouteProblem } from '../openapi/api-docs.decorators';
import { SITE_NOT_FOUND } from './reservation-docs';

const SETTINGS_VERSION_CONFLICT: RouteProblem = {
  code: 'CONFLICT',
  when: 'The version given is not the current one',
  detail: "The site's reservation settings are at version 3, not 2; read them again and retry.",
  instance: '/api/v1/sites/0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10/reservation-settings',
  extras: { version: 3 },
};

/** How each site takes bookings: tax, check-in window, no-show grace, cancellation and booking rules. */
@ApiTags('tariffs')
@Controller('api/v1/sites')
export class SiteReservationSettingsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('reservations:read')
  @Get(':id/reservation-settings')
  @ApiOperation({
    summary: "A site's booking settings as they apply, defaults filled in",
    description:
      'Needs `reservations:read`. Version 0: the site has no settings of its own and the defaults apply (tax included at 0 %, check-in 15 minutes either side of the start, free cancellation until the start, no booking rules).',
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteSettingsView })
  @ApiAuthenticated(SITE_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteSettingsView> {
    return this.rpc.call(RESERVATIONS_RPC.getSiteSettings, { siteId }, { principal });
  }

  @RequirePermission('tariffs:write')
  @Put(':id/reservation-settings')
  @ApiOperation({
    summary: "Replace a site's booking settings whole; parts left out take their defaults",
    description:
      'Needs `tariffs:write`. They apply to bookings made from now on: tax to their prices, the check-in window and no-show grace to their arrival, the cancellation policy to their cancellation, the rules to the windows they may book. ' +
      'Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change.',
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SiteSettingsView })
  @ApiAuthenticated(SITE_NOT_FOUND, SETTINGS_VERSION_CONFLICT)
  put(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: PutSiteSettingsBody, @Query() _query: NoQueryParams): Promise<SiteSettingsView> {
    return this.rpc.call(RESERVATIONS_RPC.putSiteSettings, { ...body, siteId }, { principal });
  }
}
