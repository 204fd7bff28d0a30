import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AdminDeviceStatsResponse,
  AdminListDevicesResponse,
  DEVICES_RPC,
  DeviceView,
  ImportDevicesResponse,
  LOW_BATTERY_DEFAULT_PERCENT,
  ListDevicesResponse,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { ValidationFailedError } from '@parking/problem-details';
import { AdminDevicesUseCases } from './admin-devices.use-cases';
import { principalOf } from '@parking/service-runtime';
import { readDeviceChanges, readNewDevice } from './device-fields';
import { DeviceImportUseCase } from './device-import.use-case';
import { DeviceQuery } from './device-query';
import { DevicesUseCases } from './devices.use-cases';
import { RpcInput } from './rpc-input';

const PAGE = ['cursor', 'limit'];
const FILTERS = ['kind', 'codec', 'tag', 'q'];

function filters(input: RpcInput): Omit<DeviceQuery, 'cursor' | 'limit'> {
  return { kind: input.kind(), codec: input.optionalString('codec', 64), tag: input.tag(), q: input.optionalString('q', 200) };
}

@Controller()
export class DevicesRpc {
  constructor(
    private readonly devices: DevicesUseCases,
    private readonly importer: DeviceImportUseCase,
    private readonly admin: AdminDevicesUseCases,
  ) {}

  @RpcHandler(DEVICES_RPC.register)
  register(@Payload() payload: unknown): Promise<DeviceView> {
    const principal = principalOf(payload);
    const { fields, errors } = readNewDevice(new RpcInput(payload).body);
    if (errors.length > 0) throw new ValidationFailedError(errors);
    return this.devices.register(principal, fields);
  }

  @RpcHandler(DEVICES_RPC.list)
  list(@Payload() payload: unknown): Promise<ListDevicesResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const query: DeviceQuery = {
      ...filters(input),
      status: input.oneOf('status', ['online', 'offline'] as const),
      batteryBelow: input.oneOf('battery', ['low'] as const) ? LOW_BATTERY_DEFAULT_PERCENT : undefined,
      ...input.page(),
    };
    input.onlyKnown([...PAGE, ...FILTERS, 'status', 'battery']);
    input.done();
    return this.devices.list(principal, query);
  }

  @RpcHandler(DEVICES_RPC.listOffline)
  listOffline(@Payload() payload: unknown): Promise<ListDevicesResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const query: DeviceQuery = { ...filters(input), status: 'offline', ...input.page() };
    input.onlyKnown([...PAGE, ...FILTERS]);
    input.done();
    return this.devices.list(principal, query);
  }

  @RpcHandler(DEVICES_RPC.listLowBattery)
  listLowBattery(@Payload() payload: unknown): Promise<ListDevicesResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const query: DeviceQuery = { ...filters(input), batteryBelow: input.optionalInt('threshold', 1, 100) ?? LOW_BATTERY_DEFAULT_PERCENT, ...input.page() };
    input.onlyKnown([...PAGE, ...FILTERS, 'threshold']);
    input.done();
    return this.devices.list(principal, query);
  }

  @RpcHandler(DEVICES_RPC.get)
  get(@Payload() payload: unknown): Promise<DeviceView> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const devEui = input.devEui();
    input.onlyKnown(['devEui']);
    input.done();
    return this.devices.get(principal, devEui);
  }

  @RpcHandler(DEVICES_RPC.update)
  update(@Payload() payload: unknown): Promise<DeviceView> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const devEui = input.devEui();
    const version = input.optionalInt('version', 1, 2_147_483_647);
    const { devEui: _devEui, version: _version, ...body } = input.body;
    const { changes, errors } = readDeviceChanges(body);
    input.errors.push(...errors);
    input.onlyKnown(['devEui', 'version', 'name', 'kind', 'codec', 'heartbeatSeconds', 'tags', 'chirpstackApplicationId', 'chirpstackProfileId']);
    input.done();
    return this.devices.update(principal, devEui, { ...changes, ...(version !== undefined ? { version } : {}) });
  }

  @RpcHandler(DEVICES_RPC.remove)
  remove(@Payload() payload: unknown): Promise<DeviceView> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const devEui = input.devEui();
    input.onlyKnown(['devEui']);
    input.done();
    return this.devices.remove(principal, devEui);
  }

  @RpcHandler(DEVICES_RPC.import)
  import(@Payload() payload: unknown): Promise<ImportDevicesResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const format = input.oneOf('format', ['csv', 'json'] as const);
    if (!format) input.fail('format', 'must be csv or json');
    if (format === 'csv' && typeof input.body.text !== 'string') input.fail('text', 'must be the CSV file as a string');
    input.onlyKnown(['format', format === 'csv' ? 'text' : 'devices']);
    input.done();
    return this.importer.execute(principal, format === 'csv' ? { format, text: input.body.text as string } : { format: 'json', devices: input.body.devices });
  }

  @RpcHandler(DEVICES_RPC.adminList)
  adminList(@Payload() payload: unknown): Promise<AdminListDevicesResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const reason = input.reason();
    const query = { tenantId: input.optionalUuid('tenantId'), codec: input.optionalString('codec', 64), kind: input.kind(), ...input.page() };
    input.onlyKnown([...PAGE, 'reason', 'tenantId', 'codec', 'kind']);
    input.done();
    return this.admin.list(principal, reason, query);
  }

  @RpcHandler(DEVICES_RPC.adminStats)
  adminStats(@Payload() payload: unknown): Promise<AdminDeviceStatsResponse> {
    const principal = principalOf(payload);
    const input = new RpcInput(payload);
    const reason = input.reason();
    input.onlyKnown(['reason']);
    input.done();
    return this.admin.stats(principal, reason);
  }
}
