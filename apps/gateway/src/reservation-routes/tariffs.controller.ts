import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ListTariffsRequest, RESERVATION_PAGE_MAX, RESERVATIONS_RPC, TariffBody, TariffPage, TariffView, UpdateTariffBody, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { SITE_ID_PARAM } from '../occupancy-routes/sites.controller';
import { ApiAuthenticated, type RouteProblem } from '../openapi/api-docs.decorators';
import { SITE_NOT_FOUND, TARIFF_ID_PARAM, TARIFF_NOT_FOUND } from './reservation-docs';

const TARIFF_VERSION_CONFLICT: RouteProblem = {
  code: 'CONFLICT',
  when: 'The version given is not the current one',
  detail: 'The tariff is at version 3, not 2; read it again and retry.',
  instance: '/api/v1/tariffs',
  extras: { version: 3 },
};

/** How tariffs price: what every tariff route's description may point to. */
const PRICING =
  "Bands price each weekday's local hours per hour, in tiers by the minutes of the day's stay, charged in started increments; time no band covers is free. " +
  'A tariff applies from `effectiveFrom` (a local date of the site) until a later one of the same price zone; one without `priceZone` prices every space of the site that no price-zone tariff covers.';

/** Rate tables of the tenant's sites (owned by the reservations service). */
@ApiTags('tariffs')
@Controller('api/v1')
export class TariffsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('tariffs:write')
  @Post('sites/:id/tariffs')
  @ApiOperation({
    summary: 'Add a tariff to a site; bookings made from its effective date on are priced by it',
    description: `Needs \`tariffs:write\`. ${PRICING} Bands may not overlap (400 naming the two and where). A booking keeps the price it was made at.`,
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiCreatedResponse({ type: TariffView })
  @ApiAuthenticated(SITE_NOT_FOUND)
  create(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: TariffBody, @Query() _query: NoQueryParams): Promise<TariffView> {
    return this.rpc.call(RESERVATIONS_RPC.createTariff, { ...body, siteId }, { principal });
  }

  @RequirePermission('reservations:read')
  @Get('tariffs')
  @ApiOperation({
    summary: "Tariffs of the tenant, or of one site, oldest first",
    description: `Needs \`reservations:read\`. Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${RESERVATION_PAGE_MAX} (default 50).`,
  })
  @ApiOkResponse({ type: TariffPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTariffsRequest): Promise<TariffPage> {
    return this.rpc.call(RESERVATIONS_RPC.listTariffs, query, { principal });
  }

  @RequirePermission('reservations:read')
  @Get('tariffs/:id')
  @ApiOperation({ summary: 'One tariff', description: 'Needs `reservations:read`. A tariff of another tenant is 404, like an unknown id.' })
  @ApiParam(TARIFF_ID_PARAM)
  @ApiOkResponse({ type: TariffView })
  @ApiAuthenticated(TARIFF_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tariffId: string, @Query() _query: NoQueryParams): Promise<TariffView> {
    return this.rpc.call(RESERVATIONS_RPC.getTariff, { tariffId }, { principal });
  }

  @RequirePermission('tariffs:write')
  @Put('tariffs/:id')
  @ApiOperation({
    summary: 'Replace a tariff whole: send every field; the version grows by one',
    description:
      `Needs \`tariffs:write\`. ${PRICING} Fields left out take their defaults (no daily maximum, no minimum charge, no fee). ` +
      'Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change. Bookings already made keep their price.',
  })
  @ApiParam(TARIFF_ID_PARAM)
  @ApiOkResponse({ type: TariffView })
  @ApiAuthenticated(TARIFF_NOT_FOUND, TARIFF_VERSION_CONFLICT)
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tariffId: string, @Body() body: UpdateTariffBody, @Query() _query: NoQueryParams): Promise<TariffView> {
    return this.rpc.call(RESERVATIONS_RPC.updateTariff, { ...body, tariffId }, { principal });
  }

  @RequirePermission('tariffs:write')
  @Delete('tariffs/:id')
  @ApiOperation({
    summary: 'Delete a tariff; the one it replaced applies again from its effective date',
    description: 'Needs `tariffs:write`. Answers the tariff as it was. Bookings already made keep their price. A tariff of another tenant is 404.',
  })
  @ApiParam(TARIFF_ID_PARAM)
  @ApiOkResponse({ type: TariffView, description: 'The tariff as it was' })
  @ApiAuthenticated(TARIFF_NOT_FOUND)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tariffId: string, @Query() _query: NoQueryParams): Promise<TariffView> {
    return this.rpc.call(RESERVATIONS_RPC.deleteTariff, { tariffId }, { principal });
  }
}
