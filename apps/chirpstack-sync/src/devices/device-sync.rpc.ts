import { Controller } from '@nestjs/common';
import { CHIRPSTACK_RPC, type DeviceSyncRef, type DeviceSyncView, type ReceivedRpcContext, type SetDeviceKeysRequest } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { authorised } from '@parking/service-runtime';
import { DeviceSyncUseCase } from './device-sync.use-case';

@Controller()
export class DeviceSyncRpc {
  constructor(private readonly devices: DeviceSyncUseCase) {}

  @RpcHandler(CHIRPSTACK_RPC.getDeviceSync)
  view(request: DeviceSyncRef, context: ReceivedRpcContext): Promise<DeviceSyncView> {
    return this.devices.view(authorised(context, 'devices:read'), request.devEui);
  }

  @RpcHandler(CHIRPSTACK_RPC.setDeviceKeys)
  setKeys(request: SetDeviceKeysRequest, context: ReceivedRpcContext): Promise<DeviceSyncView> {
    const { devEui, ...keys } = request;
    return this.devices.setKeys(authorised(context, 'devices:write'), devEui, keys);
  }
}
