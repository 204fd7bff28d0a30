import { DEV_EUI_PATTERN } from '../../ingest/uplink';
import { defineEvent } from '../define-event';

export const DOWNLINK_FAILED_V1 = 'ingest.downlink.failed.v1' as const;

export interface DownlinkFailedV1Data {
  tenantId: string;
  deviceId: string;
  devEui: string;
  /** ChirpStack's log code, e.g. DOWNLINK_GATEWAY (a gateway refused it), DOWNLINK_PAYLOAD_SIZE, DOWNLINK_CODEC. */
  code: string;
  /** The gateway's TX status for DOWNLINK_GATEWAY, e.g. DUTY_CYCLE_OVERFLOW, TOO_LATE, COLLISION_PACKET; null otherwise. */
  txStatus: string | null;
  /** ChirpStack's queue item id, when the log names it. */
  queueItemId: string | null;
  /** The gateway that refused it, when the log names it. */
  gatewayId: string | null;
  description: string;
  failedAt: string;
  receivedAt: string;
}

export const DownlinkFailedV1 = defineEvent<DownlinkFailedV1Data, typeof DOWNLINK_FAILED_V1>({
  type: DOWNLINK_FAILED_V1,
  aggregate: 'device',
  description:
    'ChirpStack reported that a downlink of the device failed (a `log` event with a DOWNLINK_* code): refused by a gateway ' +
    '(DOWNLINK_GATEWAY with its TX status, such as DUTY_CYCLE_OVERFLOW), dropped as too large, or not encoded.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'deviceId', 'devEui', 'code', 'txStatus', 'queueItemId', 'gatewayId', 'description', 'failedAt', 'receivedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      deviceId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: DEV_EUI_PATTERN },
      code: { type: 'string', maxLength: 200 },
      txStatus: { type: ['string', 'null'], maxLength: 100 },
      queueItemId: { type: ['string', 'null'], maxLength: 100 },
      gatewayId: { type: ['string', 'null'], maxLength: 100 },
      description: { type: 'string', maxLength: 2000 },
      failedAt: { type: 'string', format: 'date-time' },
      receivedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    deviceId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
    devEui: '70b3d5e75e003c11',
    code: 'DOWNLINK_GATEWAY',
    txStatus: 'DUTY_CYCLE_OVERFLOW',
    queueItemId: '42cb6459-a640-46ec-9623-bdff39dc4736',
    gatewayId: '0016c001f153a14c',
    description: 'DUTY_CYCLE_OVERFLOW',
    failedAt: '2026-03-01T09:37:48.929Z',
    receivedAt: '2026-03-01T09:37:48.940Z',
  },
});
