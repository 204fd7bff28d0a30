import { Body, Controller, Delete, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OCCUPANCY_RPC, type DeleteZoneRequest, type Principal, type UpdateZoneRequest, type ZoneRef } from '@parking/contracts';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../identity-routes/dto/no-query-params.dto';
import { UuidParam } from '../identity-routes/dto/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { UpdateZoneBody, ZoneDto } from './dto/zones.dto';
import { ApiOccupancyProblem, ApiVersionConflict, ApiZoneNotFound } from './occupancy-problems';
import { OccupancyClient } from './occupancy-client';

export const ZONE_ID_PARAM = { name: 'id', format: 'uuid', example: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', description: 'The zone' } as const;

/**
 * One zone by its id (zones are created and listed under their site). A zone keeps its site
 * and parent; to move spaces, change each space's zoneId.
 */
@ApiTags('sites')
@Controller('api/v1/zones')
export class ZonesController {
  constructor(private readonly occupancy: OccupancyClient) {}

  @RequirePermission('sites:read')
  @Get(':id')
  @ApiOperation({ summary: 'One zone' })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: ZoneDto })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Query() _query: NoQueryParams): Promise<ZoneDto> {
    return this.occupancy.send(OCCUPANCY_RPC.getZone, { principal, zoneId } satisfies ZoneRef);
  }

  @RequirePermission('sites:write')
  @Patch(':id')
  @ApiOperation({ summary: 'Rename a zone or change its kind; the version grows by one' })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: ZoneDto })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  @ApiVersionConflict('zone')
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Body() body: UpdateZoneBody, @Query() _query: NoQueryParams): Promise<ZoneDto> {
    return this.occupancy.send(OCCUPANCY_RPC.updateZone, { principal, zoneId, ...body } satisfies UpdateZoneRequest);
  }

  @RequirePermission('sites:write')
  @Delete(':id')
  @ApiOperation({ summary: 'Delete an empty zone; refused while it holds spaces or nested zones' })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: ZoneDto, description: 'The zone as it was' })
  @ApiAuthenticated()
  @ApiZoneNotFound()
  @ApiOccupancyProblem(409, 'CONFLICT', 'The zone still holds spaces or zones', 'The zone still holds 4 spaces; move or delete them first.', { spaces: 4 })
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) zoneId: string, @Query() _query: NoQueryParams): Promise<ZoneDto> {
    return this.occupancy.send(OCCUPANCY_RPC.deleteZone, { principal, zoneId } satisfies DeleteZoneRequest);
  }
}
