import { Body, Controller, Delete, Get, Inject, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OCCUPANCY_RPC, UpdateZoneBody, ZoneView, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiOccupancyProblem, ApiVersionConflict, ApiZoneNotFound } from './occupancy-problems';

export const ZONE_ID_PARAM = { name: 'id', format: 'uuid', example: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', description: 'The zone' } as const;

/**
 * One zone by its id (zones are created and listed under their site). A zone keeps its site
 * and parent; to move spaces, change each space's zoneId.
 */
@ApiTags('sites')
@Controller('api/v1/zones')
export class ZonesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('sites:read')
  @Get(':id')
  @ApiOperation({ summary: 'One zone', description: 'Needs `sites:read`. A zone of another tenant is 404, like an unknown id.' })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: ZoneView })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Query() _query: NoQueryParams): Promise<ZoneView> {
    return this.rpc.call(OCCUPANCY_RPC.getZone, { zoneId }, { principal });
  }

  @RequirePermission('sites:write')
  @Patch(':id')
  @ApiOperation({
    summary: 'Rename a zone or change its kind; the version grows by one',
    description:
      'Needs `sites:write`. A zone keeps its site and parent; to move spaces, change each space’s `zoneId`. Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change. ' +
      'A zone of another tenant is 404, like an unknown id.',
  })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: ZoneView })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  @ApiVersionConflict('zone')
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Body() body: UpdateZoneBody, @Query() _query: NoQueryParams): Promise<ZoneView> {
    return this.rpc.call(OCCUPANCY_RPC.updateZone, { ...body, zoneId }, { principal });
  }

  @RequirePermission('sites:write')
  @Delete(':id')
  @ApiOperation({
    summary: 'Delete an empty zone; refused while it holds spaces or nested zones',
    description:
      'Needs `sites:write`. While the zone holds spaces (`spaces`) or nested zones (`zones`) the answer is 409 CONFLICT: move or delete them first. Answers the zone as it was. ' +
      'A zone of another tenant is 404, like an unknown id.',
  })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: ZoneView, description: 'The zone as it was' })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  @ApiOccupancyProblem(409, 'CONFLICT', 'The zone still holds spaces or zones', 'The zone still holds 4 spaces; move or delete them first.', { spaces: 4 })
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Query() _query: NoQueryParams): Promise<ZoneView> {
    return this.rpc.call(OCCUPANCY_RPC.deleteZone, { zoneId }, { principal });
  }
}
