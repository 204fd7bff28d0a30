import { defineEvent } from '../define-event';
import { DEVICE_SNAPSHOT_EXAMPLE, DEVICE_SNAPSHOT_SCHEMA, type DeviceSnapshotV1 } from './device-snapshot';

export const DEVICE_REGISTERED_V1 = 'ingest.device.registered.v1' as const;

export type DeviceRegisteredV1Data = DeviceSnapshotV1;

export const DeviceRegisteredV1 = defineEvent<DeviceRegisteredV1Data, typeof DEVICE_REGISTERED_V1>({
  type: DEVICE_REGISTERED_V1,
  aggregate: 'device',
  description: "A device was registered in a tenant (one devEUI has one owner platform-wide). Occupancy and ChirpStack sync build their copies from these events.",
  schema: DEVICE_SNAPSHOT_SCHEMA,
  exampleAggregateId: DEVICE_SNAPSHOT_EXAMPLE.deviceId,
  example: DEVICE_SNAPSHOT_EXAMPLE,
});
