import { defineEvent } from '../define-event';
import { GATEWAY_STATE_EXAMPLE, GATEWAY_STATE_SCHEMA, type GatewayStateChangeV1 } from './gateway-state';

export const GATEWAY_ONLINE_V1 = 'chirpstack.gateway.online.v1' as const;

export const GatewayOnlineV1 = defineEvent<GatewayStateChangeV1, typeof GATEWAY_ONLINE_V1>({
  type: GATEWAY_ONLINE_V1,
  aggregate: 'gateway (EUI)',
  description: 'A LoRa gateway is online again (or for the first time): ChirpStack calls it online, or it relayed an uplink within twice its stats interval. Once per change, whatever the replicas.',
  schema: GATEWAY_STATE_SCHEMA,
  exampleAggregateId: GATEWAY_STATE_EXAMPLE.gatewayId,
  example: GATEWAY_STATE_EXAMPLE,
});
