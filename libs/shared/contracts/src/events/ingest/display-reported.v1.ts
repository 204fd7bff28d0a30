import { DEV_EUI_PATTERN, UPLINK_GATEWAYS_SCHEMA, type UplinkGatewayRx } from '../../ingest/uplink';
import { defineEvent } from '../define-event';

export const DISPLAY_REPORTED_V1 = 'ingest.display.reported.v1' as const;

export interface DisplayReportedV1Data {
  tenantId: string;
  deviceId: string;
  devEui: string;
  /** The display's codec, whose fields these are. */
  codecId: string | null;
  /** What the codec read from the uplink; a display's codec puts what it shows there (`shows`, `frame`). */
  fields: Record<string, unknown>;
  /** The gateways that heard the uplink, with RSSI and SNR: the best one carries the display's downlinks. */
  gateways: UplinkGatewayRx[];
  receivedAt: string;
}

export const DisplayReportedV1 = defineEvent<DisplayReportedV1Data, typeof DISPLAY_REPORTED_V1>({
  type: DISPLAY_REPORTED_V1,
  aggregate: 'device',
  description:
    'An uplink of a device registered as a display (published besides ingest.uplink.received.v1, so signage need not read every ' +
    "sensor's uplinks): what the display says it shows, and the gateways that heard it.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'deviceId', 'devEui', 'codecId', 'fields', 'gateways', 'receivedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      deviceId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: DEV_EUI_PATTERN },
      codecId: { type: ['string', 'null'], maxLength: 64 },
      fields: { type: 'object' },
      gateways: UPLINK_GATEWAYS_SCHEMA,
      receivedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    deviceId: '2c5d8e3a-7b41-4f0e-9d6a-1e2f3a4b5c6d',
    devEui: '2020203705250102',
    codecId: 'kuando-busylight',
    fields: { shows: { red: 0, green: 255, blue: 0, onTime: 255, offTime: 0 }, downlinkRssi: -48, downlinkSnr: 30 },
    gateways: [{ gatewayId: '0016c001f153a14c', rssi: -71, snr: 9.5 }],
    receivedAt: '2026-03-01T09:37:50.102Z',
  },
});
