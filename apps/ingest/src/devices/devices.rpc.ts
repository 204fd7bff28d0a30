import { Controller } from '@nestjs/common';
import {
  AdminDeviceStatsRequest,
  AdminDeviceStatsResponse,
  AdminListDevicesRequest,
  AdminDevicePage,
  DEVICE_PAGE_DEFAULT,
  DEVICES_RPC,
  DeviceFilterQuery,
  DeviceRef,
  DeviceView,
  ImportDevicesRequest,
  ImportDevicesResponse,
  ListDevicesRequest,
  DevicePage,
  ListLowBatteryDevicesRequest,
  ListOfflineDevicesRequest,
  LOW_BATTERY_DEFAULT_PERCENT,
  RegisterDeviceRequest,
  UpdateDeviceRequest,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { ValidationFailedError } from '@parking/problem-details';
import { principalOf } from '@parking/service-runtime';
import { AdminDevicesUseCases } from './admin-devices.use-cases';
import { codecProblem, deviceChanges, newDeviceFields } from './device-fields';
import { DeviceImportUseCase } from './device-import.use-case';
import { DeviceQuery } from './device-query';
import { DevicesUseCases } from './devices.use-cases';

const TAG_FILTER = /^([A-Za-z0-9_.-]{1,64}):(.{0,200})$/s;

/** The filters every list takes, as the device query holds them. */
function deviceQuery(filters: DeviceFilterQuery): DeviceQuery {
  const tag = filters.tag === undefined ? undefined : TAG_FILTER.exec(filters.tag);
  return {
    kind: filters.kind,
    codec: filters.codec,
    tag: tag ? { key: tag[1], value: tag[2] } : undefined,
    q: filters.q,
    cursor: filters.cursor,
    limit: filters.limit ?? DEVICE_PAGE_DEFAULT,
  };
}

function assertKnownCodec(codec: string | undefined): void {
  const problem = codecProblem(codec);
  if (problem) throw new ValidationFailedError([problem]);
}

@Controller()
export class DevicesRpc {
  constructor(
    private readonly devices: DevicesUseCases,
    private readonly importer: DeviceImportUseCase,
    private readonly admin: AdminDevicesUseCases,
  ) {}

  @RpcHandler(DEVICES_RPC.register)
  register(request: RegisterDeviceRequest, context: ReceivedRpcContext): Promise<DeviceView> {
    const principal = principalOf(context);
    assertKnownCodec(request.codec);
    return this.devices.register(principal, newDeviceFields(request));
  }

  @RpcHandler(DEVICES_RPC.list)
  list(request: ListDevicesRequest, context: ReceivedRpcContext): Promise<DevicePage> {
    const query = { ...deviceQuery(request), status: request.status, batteryBelow: request.battery === 'low' ? LOW_BATTERY_DEFAULT_PERCENT : undefined };
    return this.devices.list(principalOf(context), query);
  }

  @RpcHandler(DEVICES_RPC.listOffline)
  listOffline(request: ListOfflineDevicesRequest, context: ReceivedRpcContext): Promise<DevicePage> {
    return this.devices.list(principalOf(context), { ...deviceQuery(request), status: 'offline' });
  }

  @RpcHandler(DEVICES_RPC.listLowBattery)
  listLowBattery(request: ListLowBatteryDevicesRequest, context: ReceivedRpcContext): Promise<DevicePage> {
    return this.devices.list(principalOf(context), { ...deviceQuery(request), batteryBelow: request.threshold ?? LOW_BATTERY_DEFAULT_PERCENT });
  }

  @RpcHandler(DEVICES_RPC.get)
  get(request: DeviceRef, context: ReceivedRpcContext): Promise<DeviceView> {
    return this.devices.get(principalOf(context), request.devEui);
  }

  @RpcHandler(DEVICES_RPC.update)
  update(request: UpdateDeviceRequest, context: ReceivedRpcContext): Promise<DeviceView> {
    const principal = principalOf(context);
    assertKnownCodec(request.codec);
    return this.devices.update(principal, request.devEui, { ...deviceChanges(request), ...(request.version !== undefined ? { version: request.version } : {}) });
  }

  @RpcHandler(DEVICES_RPC.remove)
  remove(request: DeviceRef, context: ReceivedRpcContext): Promise<DeviceView> {
    return this.devices.remove(principalOf(context), request.devEui);
  }

  @RpcHandler(DEVICES_RPC.import)
  import(request: ImportDevicesRequest, context: ReceivedRpcContext): Promise<ImportDevicesResponse> {
    const source = request.format === 'csv' ? { format: 'csv' as const, text: request.text as string } : { format: 'json' as const, devices: request.devices };
    return this.importer.execute(principalOf(context), source);
  }

  @RpcHandler(DEVICES_RPC.adminList)
  adminList(request: AdminListDevicesRequest, context: ReceivedRpcContext): Promise<AdminDevicePage> {
    const query = { tenantId: request.tenantId, codec: request.codec, kind: request.kind, cursor: request.cursor, limit: request.limit ?? DEVICE_PAGE_DEFAULT };
    return this.admin.list(principalOf(context), request.reason, query);
  }

  @RpcHandler(DEVICES_RPC.adminStats)
  adminStats(request: AdminDeviceStatsRequest, context: ReceivedRpcContext): Promise<AdminDeviceStatsResponse> {
    return this.admin.stats(principalOf(context), request.reason);
  }
}
