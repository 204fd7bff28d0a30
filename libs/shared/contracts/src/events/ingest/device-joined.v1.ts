import { DEV_EUI_PATTERN } from '../../ingest/uplink';
import { defineEvent } from '../define-event';

export const DEVICE_JOINED_V1 = 'ingest.device.joined.v1' as const;

export interface DeviceJoinedV1Data {
  tenantId: string;
  deviceId: string;
  devEui: string;
  /** The frame-counter session the join started; fCnt counts from 0 again. */
  session: number;
  devAddr: string | null;
  deduplicationId: string | null;
  /** ChirpStack's `time` (RFC 3339), else when the gateway accepted the webhook. */
  joinedAt: string;
  receivedAt: string;
}

export const DeviceJoinedV1 = defineEvent<DeviceJoinedV1Data, typeof DEVICE_JOINED_V1>({
  type: DEVICE_JOINED_V1,
  aggregate: 'device',
  description: 'A registered device (re)joined the network (OTAA): a new frame-counter session began.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'deviceId', 'devEui', 'session', 'devAddr', 'deduplicationId', 'joinedAt', 'receivedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      deviceId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: DEV_EUI_PATTERN },
      session: { type: 'integer', minimum: 0 },
      devAddr: { type: ['string', 'null'], pattern: '^[0-9a-f]{8}$' },
      deduplicationId: { type: ['string', 'null'], maxLength: 100 },
      joinedAt: { type: 'string', format: 'date-time' },
      receivedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    deviceId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
    devEui: '70b3d5e75e003c11',
    session: 2,
    devAddr: '00189440',
    deduplicationId: 'c9dbe358-2578-4fb7-b295-66b44edc45a6',
    joinedAt: '2026-03-01T09:33:28.823Z',
    receivedAt: '2026-03-01T09:33:28.851Z',
  },
});
