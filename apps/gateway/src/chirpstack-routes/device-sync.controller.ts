import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CHIRPSTACK_RPC, DeviceKeysBody, DeviceSyncView, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiDeviceNotFound } from '../device-routes/device-problems';
import { DEV_EUI_PARAM } from '../device-routes/devices.controller';
import { DevEuiParam } from '../http-params/dev-eui-param';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';

/** A registry device as ChirpStack holds it (owned by the chirpstack-sync service). */
@ApiTags('chirpstack')
@Controller('api/v1/devices/:devEui')
export class DeviceSyncController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('devices:read')
  @Get('chirpstack')
  @ApiOperation({
    summary: 'Where ChirpStack stands with the device: pending, synced, or failed with the reason',
    description:
      'Needs `devices:read`. Registering, changing or removing a device never waits for ChirpStack: the device goes `pending` and is brought there in the background, through the connection the device is in ' +
      "(else the connection of the ChirpStack application it names, else the tenant's default). A failure is retried with growing waits; `reason`, `attempts` and `nextAttemptAt` say where it stands. " +
      'While ChirpStack cannot be reached the device stays `pending`.',
  })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceSyncView })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  sync(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Query() _query: NoQueryParams): Promise<DeviceSyncView> {
    return this.rpc.call(CHIRPSTACK_RPC.getDeviceSync, { devEui }, { principal });
  }

  @RequirePermission('devices:write')
  @Put('keys')
  @ApiOperation({
    summary: "Set the device's OTAA root keys; ChirpStack gets them with the device",
    description:
      'Needs `devices:write`. The keys are stored sealed and sent to ChirpStack (DeviceService.CreateKeys, or UpdateKeys when it has some) in the background; they are never answered or logged. ' +
      "A LoRaWAN 1.0.x device's AppKey goes in `nwkKey` (ChirpStack's convention). Answers the device's sync state, `keys: pending` until ChirpStack has them.",
  })
  @ApiParam(DEV_EUI_PARAM)
  @ApiOkResponse({ type: DeviceSyncView })
  @ApiAuthenticated()
  @ApiDeviceNotFound()
  setKeys(@CurrentPrincipal() principal: Principal, @Param('devEui', DevEuiParam) devEui: string, @Body() body: DeviceKeysBody, @Query() _query: NoQueryParams): Promise<DeviceSyncView> {
    return this.rpc.call(CHIRPSTACK_RPC.setDeviceKeys, { ...body, devEui }, { principal });
  }
}
