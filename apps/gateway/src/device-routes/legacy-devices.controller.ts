import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  DEVICES_RPC,
  type GetDeviceRequest,
  type ListDevicesRequest,
  type Principal,
  type RegisterDeviceRequest,
  type RemoveDeviceRequest,
  type UpdateDeviceRequest,
} from '@parking/contracts';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../identity-routes/dto/no-query-params.dto';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import { ApiDeviceExists, ApiDeviceLimit, ApiDeviceNotFound } from './device-problems';
import { DEV_EUI_PARAM } from './devices.controller';
import { DevEuiParam } from './dto/dev-eui-param';
import { DeviceDto, DevicePage, ListDevicesQuery, RegisterDeviceBody, UpdateDeviceBody } from './dto/devices.dto';
import { IngestClient } from './ingest-client';

/** The previous platform's device routes, kept for its clients: the same requests and answers as /api/v1/devices. */
@ApiTags('devices')
@Controller('api/v6/devices')
export class LegacyDevicesController {
  constructor(private readonly ingest: IngestClient) {}

  @RequirePermission('devices:write')
  @Post()
  @ApiOperation({ summary: 'Alias of POST /api/v1/devices', deprecated: true })
  @ApiCreatedResponse({ type: DeviceDto })
  @ApiAuthenticated()
  @ApiDeviceExists()
  @ApiDeviceLimit()
  register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterDeviceBody, @Query() _query: NoQueryParams): Promise<DeviceDto> {
    return this.ingest.send(DEVICES_RPC.register, { principal, ...body } satisfies RegisterDeviceRequest);
  }

  @RequirePermission('devices:read')
  @Get()
  @ApiOperation({ summary: 'Alias of GET /api/v1/devices', deprecated: true })
  @ApiOkResponse({ type: DevicePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListDevicesQuery): Promise<DevicePage> {
    return this.ingest.send(DEVICES_RPC.list, { principal, ...query } satisfies ListDevicesRequest);
  }

  @RequirePermission('devices:read')
  @Get(':devEui')
  @ApiOperation({ summary: 'Alias of GET /api/v1/devices/{devEui}', deprecated: true })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceDto })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Query() _query: NoQueryParams): Promise<DeviceDto> {
    return this.ingest.send(DEVICES_RPC.get, { principal, devEui } satisfies GetDeviceRequest);
  }

  @RequirePermission('devices:write')
  @Patch(':devEui')
  @ApiOperation({ summary: 'Alias of PATCH /api/v1/devices/{devEui}', deprecated: true })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceDto })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  @ApiProblems(409)
  update(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Body() body: UpdateDeviceBody, @Query() _query: NoQueryParams): Promise<DeviceDto> {
    return this.ingest.send(DEVICES_RPC.update, { principal, devEui, ...body } satisfies UpdateDeviceRequest);
  }

  @RequirePermission('devices:write')
  @Delete(':devEui')
  @ApiOperation({ summary: 'Alias of DELETE /api/v1/devices/{devEui}', deprecated: true })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceDto, description: 'The device as it was' })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  remove(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Query() _query: NoQueryParams): Promise<DeviceDto> {
    return this.ingest.send(DEVICES_RPC.remove, { principal, devEui } satisfies RemoveDeviceRequest);
  }
}
