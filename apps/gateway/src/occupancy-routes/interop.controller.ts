import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { OCCUPANCY_INTEROP_RPC, type Principal, type SiteDatex2Response, type SiteFiwareResponse } from '@parking/contracts';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiDatex2Response, ApiFiwareResponse } from './interop-openapi';
import { InteropClient } from './interop-client';
import { ApiSiteNotFound } from './occupancy-problems';
import { SITE_ID_PARAM } from './sites.controller';

/** A site in the vocabularies of FIWARE (NGSI-LD Smart Data Models) and DATEX II v3, for other platforms. */
@ApiTags('sites')
@Controller('api/v1/sites')
export class InteropController {
  constructor(private readonly interop: InteropClient) {}

  @RequirePermission('sites:read')
  @Get(':id/fiware')
  // The entities carry their @context, which NGSI-LD only allows in JSON-LD.
  @Header('content-type', 'application/ld+json')
  @ApiProduces('application/ld+json')
  @ApiOperation({
    summary: 'The site, its zones and spaces as FIWARE Smart Data Models (NGSI-LD): OffStreetParking or OnStreetParking, ParkingGroup, ParkingSpot',
    description:
      'Needs `sites:read`. Answered as application/ld+json in key-value form, each entity with its @context, built from the live state on every request. ' +
      'The site is OffStreetParking or OnStreetParking by its category, with its live counts; ids are `urn:ngsi-ld:<type>:<uuid>`, and a space without a location of its own takes its site’s. ' +
      'A site of another tenant is 404, like an unknown id.',
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiFiwareResponse()
  @ApiAuthenticated()
  @ApiSiteNotFound()
  fiware(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteFiwareResponse> {
    return this.interop.view(OCCUPANCY_INTEROP_RPC.siteFiware, { siteId }, principal);
  }

  @RequirePermission('sites:read')
  @Get(':id/datex2')
  @ApiOperation({
    summary: 'The site and its spaces as DATEX II v3 Parking Publications Light (JSON): description and live status',
    description:
      'Needs `sites:read`. A ParkingTablePublication describing the site (an UrbanParkingSite with one SingleParkingSpace per space) and a ParkingStatusPublication with the live status of the site and of each space, built on every request. ' +
      'Record ids are the platform’s UUIDs and versions its version numbers; the site is almostFull once 90 % of its spaces with a known state are occupied or reserved; `publicationCreator.country` is `zz`, since a site carries no country. ' +
      'A site of another tenant is 404, like an unknown id.',
  })
  @ApiParam(SITE_ID_PARAM)
  @ApiDatex2Response()
  @ApiAuthenticated()
  @ApiSiteNotFound()
  datex2(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SiteDatex2Response> {
    return this.interop.view(OCCUPANCY_INTEROP_RPC.siteDatex2, { siteId }, principal);
  }
}
