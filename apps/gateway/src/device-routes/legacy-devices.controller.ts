import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DEVICES_RPC, DevicePage, DeviceView, ListDevicesRequest, RegisterDeviceRequest, UpdateDeviceBody, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { DevEuiParam } from '../http-params/dev-eui-param';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import { ApiDeviceConflicts, ApiDeviceLimit, ApiDeviceNotFound } from './device-problems';
import { DEV_EUI_PARAM } from './devices.controller';

/** The description of each alias: which v1 route it stands for, and the permission both need. */
const alias = (route: string, permission: string): string =>
  `Deprecated alias of ${route}, kept for clients of the previous platform; same request, answer and errors. Needs \`${permission}\`. New clients should call the v1 route.`;

/** The previous platform's device routes, kept for its clients: the same requests and answers as /api/v1/devices. */
@ApiTags('devices')
@Controller('api/v6/devices')
export class LegacyDevicesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('devices:write')
  @Post()
  @ApiOperation({ summary: 'Alias of POST /api/v1/devices', description: alias('POST /api/v1/devices', 'devices:write'), deprecated: true })
  @ApiCreatedResponse({ type: DeviceView })
  @ApiAuthenticated()
  @ApiDeviceConflicts()
  @ApiDeviceLimit()
  register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterDeviceRequest, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.register, body, { principal });
  }

  @RequirePermission('devices:read')
  @Get()
  @ApiOperation({ summary: 'Alias of GET /api/v1/devices', description: alias('GET /api/v1/devices', 'devices:read'), deprecated: true })
  @ApiOkResponse({ type: DevicePage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListDevicesRequest): Promise<DevicePage> {
    return this.rpc.call(DEVICES_RPC.list, query, { principal });
  }

  @RequirePermission('devices:read')
  @Get(':devEui')
  @ApiOperation({ summary: 'Alias of GET /api/v1/devices/{devEui}', description: alias('GET /api/v1/devices/{devEui}', 'devices:read'), deprecated: true })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceView })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  get(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.get, { devEui }, { principal });
  }

  @RequirePermission('devices:write')
  @Patch(':devEui')
  @ApiOperation({ summary: 'Alias of PATCH /api/v1/devices/{devEui}', description: alias('PATCH /api/v1/devices/{devEui}', 'devices:write'), deprecated: true })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceView })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  @ApiProblems(409)
  update(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Body() body: UpdateDeviceBody, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.update, { ...body, devEui }, { principal });
  }

  @RequirePermission('devices:write')
  @Delete(':devEui')
  @ApiOperation({ summary: 'Alias of DELETE /api/v1/devices/{devEui}', description: alias('DELETE /api/v1/devices/{devEui}', 'devices:write'), deprecated: true })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceView, description: 'The device as it was' })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  remove(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Query() _query: NoQueryParams): Promise<DeviceView> {
    return this.rpc.call(DEVICES_RPC.remove, { devEui }, { principal });
  }
}
