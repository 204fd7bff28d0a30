import { defineEvent } from '../define-event';
import { DEVICE_SNAPSHOT_EXAMPLE, DEVICE_SNAPSHOT_SCHEMA, type DeviceSnapshotV1 } from './device-snapshot';

export const DEVICE_REMOVED_V1 = 'ingest.device.removed.v1' as const;

export type DeviceRemovedV1Data = DeviceSnapshotV1;

export const DeviceRemovedV1 = defineEvent<DeviceRemovedV1Data, typeof DEVICE_REMOVED_V1>({
  type: DEVICE_REMOVED_V1,
  aggregate: 'device',
  description: "A device was removed from the registry; its devEUI may be registered again. The data is the device as it was.",
  schema: DEVICE_SNAPSHOT_SCHEMA,
  exampleAggregateId: DEVICE_SNAPSHOT_EXAMPLE.deviceId,
  example: DEVICE_SNAPSHOT_EXAMPLE,
});
