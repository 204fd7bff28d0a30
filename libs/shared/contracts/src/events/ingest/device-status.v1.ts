import { DEV_EUI_PATTERN } from '../../ingest/uplink';
import { defineEvent } from '../define-event';

export const DEVICE_STATUS_V1 = 'ingest.device.status.v1' as const;

export interface DeviceStatusV1Data {
  tenantId: string;
  deviceId: string;
  devEui: string;
  /** Percent; null when the device could not measure it (or runs on external power). */
  batteryPercent: number | null;
  externalPowerSource: boolean;
  /** Link margin of the device's last DevStatusAns, dB. */
  marginDb: number;
  reportedAt: string;
  receivedAt: string;
}

export const DeviceStatusV1 = defineEvent<DeviceStatusV1Data, typeof DEVICE_STATUS_V1>({
  type: DEVICE_STATUS_V1,
  aggregate: 'device',
  description: 'A registered device answered a status request (battery level and link margin).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'deviceId', 'devEui', 'batteryPercent', 'externalPowerSource', 'marginDb', 'reportedAt', 'receivedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      deviceId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: DEV_EUI_PATTERN },
      batteryPercent: { type: ['number', 'null'], minimum: 0, maximum: 100 },
      externalPowerSource: { type: 'boolean' },
      marginDb: { type: 'integer' },
      reportedAt: { type: 'string', format: 'date-time' },
      receivedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    deviceId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
    devEui: '70b3d5e75e003c11',
    batteryPercent: 88.3,
    externalPowerSource: false,
    marginDb: 10,
    reportedAt: '2026-03-01T09:35:06.927Z',
    receivedAt: '2026-03-01T09:35:06.950Z',
  },
});
