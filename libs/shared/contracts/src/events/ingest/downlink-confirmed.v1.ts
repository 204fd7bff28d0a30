import { DEV_EUI_PATTERN } from '../../ingest/uplink';
import { defineEvent } from '../define-event';

export const DOWNLINK_CONFIRMED_V1 = 'ingest.downlink.confirmed.v1' as const;

export interface DownlinkConfirmedV1Data {
  tenantId: string;
  deviceId: string;
  devEui: string;
  /** `txack`: a gateway transmitted it; `ack`: the device confirmed (or not) a confirmed downlink. */
  confirmation: 'ack' | 'txack';
  /** ChirpStack's queue item id; null when the sender did not name it (v3). */
  queueItemId: string | null;
  acknowledged: boolean;
  fCntDown: number;
  /** The gateway that transmitted it (txack only). */
  gatewayId: string | null;
  confirmedAt: string;
  receivedAt: string;
}

export const DownlinkConfirmedV1 = defineEvent<DownlinkConfirmedV1Data, typeof DOWNLINK_CONFIRMED_V1>({
  type: DOWNLINK_CONFIRMED_V1,
  aggregate: 'device',
  description: 'ChirpStack confirmed a downlink: transmitted by a gateway (txack) or acknowledged by the device (ack).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'deviceId', 'devEui', 'confirmation', 'queueItemId', 'acknowledged', 'fCntDown', 'gatewayId', 'confirmedAt', 'receivedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      deviceId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: DEV_EUI_PATTERN },
      confirmation: { enum: ['ack', 'txack'] },
      queueItemId: { type: ['string', 'null'], maxLength: 100 },
      acknowledged: { type: 'boolean' },
      fCntDown: { type: 'integer', minimum: 0 },
      gatewayId: { type: ['string', 'null'], maxLength: 100 },
      confirmedAt: { type: 'string', format: 'date-time' },
      receivedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    deviceId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
    devEui: '70b3d5e75e003c11',
    confirmation: 'txack',
    queueItemId: '42cb6459-a640-46ec-9623-bdff39dc4736',
    acknowledged: true,
    fCntDown: 2,
    gatewayId: '0016c001f153a14c',
    confirmedAt: '2026-03-01T09:37:48.929Z',
    receivedAt: '2026-03-01T09:37:48.940Z',
  },
});
