export { FakeChirpStack, type FakeChirpStackOptions } from './fake-chirpstack';
export type { Failure, MethodSelector } from './faults';
export type { GatewayStateName } from './gateway-service';
export type { FakeCall } from './rpc';
export type {
  ApplicationRecord,
  DeviceKeysRecord,
  DeviceProfileRecord,
  DeviceRecord,
  GatewayLocation,
  GatewayRecord,
  QueueItemRecord,
  RegionName,
} from './state';
