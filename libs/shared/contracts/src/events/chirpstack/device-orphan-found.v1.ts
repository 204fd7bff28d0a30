import { defineEvent } from '../define-event';

export const DEVICE_ORPHAN_FOUND_V1 = 'chirpstack.device.orphan_found.v1' as const;

export interface DeviceOrphanFoundV1Data {
  /** The tenant of the connection that found it: the suggested owner (the envelope's tenant too). */
  suggestedTenantId: string;
  connectionId: string;
  /** 16 lower-case hex digits. */
  devEui: string;
  /** As ChirpStack holds the device. */
  name: string;
  applicationId: string;
  deviceProfileId: string;
  /** RFC 3339; null when ChirpStack never heard the device. */
  lastSeenAt: string | null;
  /** RFC 3339: the reconciliation run that found it. */
  foundAt: string;
}

export const DeviceOrphanFoundV1 = defineEvent<DeviceOrphanFoundV1Data, typeof DEVICE_ORPHAN_FOUND_V1>({
  type: DEVICE_ORPHAN_FOUND_V1,
  aggregate: 'orphan (devEUI)',
  description:
    "A reconciliation found a device in a connection's ChirpStack application that the tenant's registry does not hold. Ingest records it as an orphan with the connection's tenant as the suggested owner. " +
    'Published once per devEUI and connection until the device is registered or leaves ChirpStack.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['suggestedTenantId', 'connectionId', 'devEui', 'name', 'applicationId', 'deviceProfileId', 'lastSeenAt', 'foundAt'],
    properties: {
      suggestedTenantId: { type: 'string', format: 'uuid' },
      connectionId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: '^[0-9a-f]{16}$' },
      name: { type: 'string', maxLength: 500 },
      applicationId: { type: 'string', maxLength: 200 },
      deviceProfileId: { type: 'string', maxLength: 200 },
      lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
      foundAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '70b3d5e75e003c99',
  example: {
    suggestedTenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    connectionId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
    devEui: '70b3d5e75e003c99',
    name: 'NPS405 spare',
    applicationId: '1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b',
    deviceProfileId: 'f4b1a3c2-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    lastSeenAt: '2026-12-06T08:00:00.000Z',
    foundAt: '2026-12-06T09:30:00.000Z',
  },
});
