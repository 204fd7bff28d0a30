import { defineEvent } from '../define-event';
import { GATEWAY_STATE_EXAMPLE, GATEWAY_STATE_SCHEMA, type GatewayStateChangeV1 } from './gateway-state';

export const GATEWAY_OFFLINE_V1 = 'chirpstack.gateway.offline.v1' as const;

export const GatewayOfflineV1 = defineEvent<GatewayStateChangeV1, typeof GATEWAY_OFFLINE_V1>({
  type: GATEWAY_OFFLINE_V1,
  aggregate: 'gateway (EUI)',
  description: 'A LoRa gateway went offline: ChirpStack calls it offline (no stats for twice its stats interval) and it relayed no uplink in that time. Once per change, whatever the replicas.',
  schema: GATEWAY_STATE_SCHEMA,
  exampleAggregateId: GATEWAY_STATE_EXAMPLE.gatewayId,
  example: { ...GATEWAY_STATE_EXAMPLE, lastSeenAt: '2026-12-06T09:20:02.000Z' },
});
