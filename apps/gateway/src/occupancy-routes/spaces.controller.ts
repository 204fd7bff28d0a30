import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AssignSensorBody,
  CreateSpaceRequest,
  ListSpacesRequest,
  MAINTENANCE_REASON_MAX,
  OCCUPANCY_PAGE_MAX,
  OCCUPANCY_RPC,
  OccupancyEvents,
  SetMaintenanceBody,
  SpacePage,
  SpaceView,
  UpdateSpaceBody,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { ApiOccupancyLimit, ApiOccupancyProblem, ApiSiteNotFound, ApiSpaceNotFound, ApiVersionConflict } from './occupancy-problems';

export const SPACE_ID_PARAM = { name: 'id', format: 'uuid', example: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', description: 'The space' } as const;

export const ApiSpaceCodeTaken = () =>
  ApiOccupancyProblem(409, 'CONFLICT', 'The code is taken in the site (or the version is not the current one)', 'The site already has a space with the code "L2-017"; choose another code.');

/** What a change of a space's shown state publishes. */
const STATE_EVENTS = `A change of the shown state is stored as a transition and published as ${OccupancyEvents.SPACE_STATE_CHANGED_V1}, with the new counts as ${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}.`;

/** Spaces of the caller's tenant with their live state, sensors and maintenance overrides (owned by occupancy). */
@ApiTags('spaces')
@Controller('api/v1/spaces')
export class SpacesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('spaces:write')
  @Post()
  @ApiOperation({
    summary: 'Create a space in a site (and optionally one of its zones); it shows unknown until a sensor speaks',
    description:
      'Needs `spaces:write`. `code` must be unique within the site (409 CONFLICT); `zoneId` must be a zone of the same site (400); the category defaults to the site’s and the type to standard. ' +
      `The space counts as unknown in its site and zones at once (${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}). 403 LIMIT_EXCEEDED when the plan’s \`spaces\` limit is reached; a site of another tenant is 404.`,
  })
  @ApiCreatedResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSiteNotFound()
  @ApiOccupancyLimit('spaces', 50)
  @ApiSpaceCodeTaken()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSpaceRequest, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.createSpace, body, { principal });
  }

  @RequirePermission('spaces:read')
  @Get()
  @ApiOperation({
    summary: 'Spaces of the tenant with their state, oldest first; filter by site, zone, state, type or tag',
    description:
      `Needs \`spaces:read\`. \`zoneId\` includes the spaces of the zones nested in it; \`state\` filters on the live state. Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${OCCUPANCY_PAGE_MAX} (default 50).`,
  })
  @ApiOkResponse({ type: SpacePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSpacesRequest): Promise<SpacePage> {
    return this.rpc.call(OCCUPANCY_RPC.listSpaces, query, { principal });
  }

  @RequirePermission('spaces:read')
  @Get(':id')
  @ApiOperation({
    summary: 'One space with its state and what the state rests on',
    description:
      'Needs `spaces:read`. `state` shows the reading, whether the sensor is silent, the maintenance override and an active reservation; `state.version` grows with every change of state and matches the events’ `version`. ' +
      'A space of another tenant is 404, like an unknown id.',
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.getSpace, { spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Patch(':id')
  @ApiOperation({
    summary: 'Change the fields given (null clears an optional one); moving to another zone moves its count; the site is fixed',
    description:
      'Needs `spaces:write`. A new `code` must be unique within the site (409 CONFLICT) and a new `zoneId` a zone of the same site (400). Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change. ' +
      `Moving zones publishes ${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1} for the zones left and entered; a space of another tenant is 404.`,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  @ApiVersionConflict('space')
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Body() body: UpdateSpaceBody, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.updateSpace, { ...body, spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Delete(':id')
  @ApiOperation({
    summary: 'Delete a space; its sensor is free to be assigned elsewhere',
    description:
      `Needs \`spaces:write\`. Answers the space as it was and takes it out of its site’s and zones’ counts (${OccupancyEvents.ZONE_AVAILABILITY_CHANGED_V1}). ` +
      'A space of another tenant is 404, like an unknown id.',
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView, description: 'The space as it was' })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.deleteSpace, { spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Put(':id/sensor')
  @ApiOperation({
    summary: 'Put a sensor under the space',
    description: 'The device must be a sensor registered in the tenant. A sensor lies under at most one space and a space has at most one sensor; assigning the sensor the space already has changes nothing.',
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiOccupancyProblem(404, 'NOT_FOUND', 'No such space, or no such device, in the caller’s tenant', 'No device with devEUI 70b3d54750100a1b is registered in this tenant; register it in the device registry first.')
  @ApiOccupancyProblem(409, 'CONFLICT', 'The sensor lies under another space, or the space has another sensor', 'The sensor 70b3d54750100a1b already lies under the space "L2-017" (5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d); unassign it there first.', {
    devEui: '70b3d54750100a1b',
    spaceId: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d',
  })
  assignSensor(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Body() body: AssignSensorBody, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.assignSensor, { ...body, spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Delete(':id/sensor')
  @ApiOperation({
    summary: 'Take the sensor off the space; the space forgets its readings and shows unknown until a new sensor speaks',
    description:
      `Needs \`spaces:write\`. A maintenance override, if set, still shows, and an active reservation shows as reserved; a space without a sensor is answered unchanged. ${STATE_EVENTS} A space of another tenant is 404.`,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  unassignSensor(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.unassignSensor, { spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Put(':id/maintenance')
  @ApiOperation({
    summary: "Set the operator's maintenance override: the space shows maintenance, whatever its sensor says, until it is cleared",
    description:
      `Needs \`spaces:write\`. \`reason\` is optional (up to ${MAINTENANCE_REASON_MAX} characters); setting it again with the same reason changes nothing. Readings keep arriving and are kept meanwhile. ` +
      `${STATE_EVENTS} A space of another tenant is 404.`,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  setMaintenance(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Body() body: SetMaintenanceBody, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.setMaintenance, { ...body, spaceId }, { principal });
  }

  @RequirePermission('spaces:write')
  @Delete(':id/maintenance')
  @ApiOperation({
    summary: 'Clear the maintenance override: the space shows what its sensor (and reservation) say again',
    description:
      'Needs `spaces:write`. Without a current reading (no sensor, or a silent one) the space shows reserved if a reservation is active, else unknown; a space without an override is answered unchanged. ' +
      `${STATE_EVENTS} A space of another tenant is 404.`,
  })
  @ApiParam(SPACE_ID_PARAM)
  @ApiOkResponse({ type: SpaceView })
  @ApiAuthenticated()
  @ApiSpaceNotFound()
  clearMaintenance(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) spaceId: string, @Query() _query: NoQueryParams): Promise<SpaceView> {
    return this.rpc.call(OCCUPANCY_RPC.clearMaintenance, { spaceId }, { principal });
  }
}
