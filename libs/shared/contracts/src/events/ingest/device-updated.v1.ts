import { defineEvent } from '../define-event';
import { DEVICE_SNAPSHOT_EXAMPLE, DEVICE_SNAPSHOT_SCHEMA, type DeviceSnapshotV1 } from './device-snapshot';

export const DEVICE_UPDATED_V1 = 'ingest.device.updated.v1' as const;

export type DeviceUpdatedV1Data = DeviceSnapshotV1;

export const DeviceUpdatedV1 = defineEvent<DeviceUpdatedV1Data, typeof DEVICE_UPDATED_V1>({
  type: DEVICE_UPDATED_V1,
  aggregate: 'device',
  description: "A device's name, kind, codec, heartbeat, tags or ChirpStack ids changed; the data is the device after the change, with its new version.",
  schema: DEVICE_SNAPSHOT_SCHEMA,
  exampleAggregateId: DEVICE_SNAPSHOT_EXAMPLE.deviceId,
  example: DEVICE_SNAPSHOT_EXAMPLE,
});
