import type { JsonSchema } from '../define-event';

/** The device as the registry holds it after the change; every device event carries it. */
export interface DeviceSnapshotV1 {
  tenantId: string;
  deviceId: string;
  /** 16 lower-case hex digits. */
  devEui: string;
  kind: 'sensor' | 'display';
  /** A codec id of the ingest codec registry, e.g. `nwave-nps405`. */
  codec: string;
  name: string;
  chirpstackApplicationId: string | null;
  chirpstackProfileId: string | null;
  /** Absent in events written before the registry kept it. */
  description?: string | null;
  /** The JoinEUI (AppEUI) of an OTAA device, 16 lower-case hex digits; absent in events written before the registry kept it. */
  joinEui?: string | null;
  /** The effective heartbeat: the device's override, else its codec's default. */
  heartbeatSeconds: number;
  /** The override alone; null when the codec's default applies. */
  heartbeatOverride: number | null;
  tags: Record<string, string>;
  /** Grows by one with every change of the device. */
  version: number;
  /** RFC 3339: when the change happened. */
  at: string;
}

export const DEVICE_SNAPSHOT_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'tenantId',
    'deviceId',
    'devEui',
    'kind',
    'codec',
    'name',
    'chirpstackApplicationId',
    'chirpstackProfileId',
    'heartbeatSeconds',
    'heartbeatOverride',
    'tags',
    'version',
    'at',
  ],
  properties: {
    tenantId: { type: 'string', format: 'uuid' },
    deviceId: { type: 'string', format: 'uuid' },
    devEui: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    kind: { type: 'string', enum: ['sensor', 'display'] },
    codec: { type: 'string', minLength: 1, maxLength: 64 },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    chirpstackApplicationId: { type: ['string', 'null'], maxLength: 200 },
    chirpstackProfileId: { type: ['string', 'null'], maxLength: 200 },
    description: { type: ['string', 'null'], maxLength: 500 },
    joinEui: { type: ['string', 'null'], pattern: '^[0-9a-f]{16}$' },
    heartbeatSeconds: { type: 'integer', minimum: 1 },
    heartbeatOverride: { type: ['integer', 'null'], minimum: 1 },
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    version: { type: 'integer', minimum: 1 },
    at: { type: 'string', format: 'date-time' },
  },
};

export const DEVICE_SNAPSHOT_EXAMPLE: DeviceSnapshotV1 = {
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  deviceId: '3c9e2b7a-5d14-4f0e-8a61-7b2c9d0e1f35',
  devEui: '70b3d54750100a1b',
  kind: 'sensor',
  codec: 'nwave-nps405',
  name: 'Bay 12, level 2',
  chirpstackApplicationId: '1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b',
  chirpstackProfileId: null,
  description: 'NPS405 under bay 12',
  joinEui: '70b3d57ed0000001',
  heartbeatSeconds: 3600,
  heartbeatOverride: null,
  tags: { level: '2', zone: 'north' },
  version: 1,
  at: '2026-12-02T09:30:00.000Z',
};
