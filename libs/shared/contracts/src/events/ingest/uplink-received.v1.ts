import { UPLINK_EXAMPLE, UPLINK_SCHEMA, type Uplink } from '../../ingest/uplink';
import { defineEvent } from '../define-event';

export const UPLINK_RECEIVED_V1 = 'ingest.uplink.received.v1' as const;

export type UplinkReceivedV1Data = Uplink;

export const UplinkReceivedV1 = defineEvent<UplinkReceivedV1Data, typeof UPLINK_RECEIVED_V1>({
  type: UPLINK_RECEIVED_V1,
  aggregate: 'device',
  description:
    'A new uplink of a registered device: deduplicated (deduplicationId; devEUI + session + fCnt), ' +
    'placed in its frame-counter session and decoded by the device codec. Published once per frame.',
  schema: UPLINK_SCHEMA,
  exampleAggregateId: UPLINK_EXAMPLE.deviceId,
  example: UPLINK_EXAMPLE,
});
