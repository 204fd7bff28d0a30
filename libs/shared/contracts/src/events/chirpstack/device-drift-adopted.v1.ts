import { defineEvent } from '../define-event';

export const DEVICE_DRIFT_ADOPTED_V1 = 'chirpstack.device.drift_adopted.v1' as const;

/** The registry fields ChirpStack's values replace; only those that differed are present. */
export interface AdoptedDeviceFieldsV1 {
  name?: string;
  description?: string | null;
  tags?: Record<string, string>;
  chirpstackProfileId?: string;
}

export interface DeviceDriftAdoptedV1Data {
  tenantId: string;
  deviceId: string;
  /** 16 lower-case hex digits. */
  devEui: string;
  connectionId: string;
  runId: string;
  /** The registry's version of the device the reconciliation compared: a change made since wins over this. */
  deviceVersion: number;
  changes: AdoptedDeviceFieldsV1;
}

export const DeviceDriftAdoptedV1 = defineEvent<DeviceDriftAdoptedV1Data, typeof DEVICE_DRIFT_ADOPTED_V1>({
  type: DEVICE_DRIFT_ADOPTED_V1,
  aggregate: 'device',
  description:
    "A reconciliation under a connection's chirpstack-wins policy found a device whose name, description, tags or device profile differ in ChirpStack. " +
    'Ingest takes ChirpStack\'s values into the registry (ingest.device.updated.v1) unless the device changed since `deviceVersion`.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'deviceId', 'devEui', 'connectionId', 'runId', 'deviceVersion', 'changes'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      deviceId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: '^[0-9a-f]{16}$' },
      connectionId: { type: 'string', format: 'uuid' },
      runId: { type: 'string', format: 'uuid' },
      deviceVersion: { type: 'integer', minimum: 1 },
      changes: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          description: { type: ['string', 'null'], maxLength: 500 },
          tags: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 } },
          chirpstackProfileId: { type: 'string', minLength: 1, maxLength: 200 },
        },
      },
    },
  },
  exampleAggregateId: '3c9e2b7a-5d14-4f0e-8a61-7b2c9d0e1f35',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    deviceId: '3c9e2b7a-5d14-4f0e-8a61-7b2c9d0e1f35',
    devEui: '70b3d54750100a1b',
    connectionId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
    runId: '8d2c4b6a-1e3f-4a5b-9c7d-0e1f2a3b4c5d',
    deviceVersion: 3,
    changes: { name: 'Bay 12 (north)', tags: { level: '2' } },
  },
});
