import type { JsonSchema } from '../define-event';

/** A LoRa gateway's change of health; both the online and the offline event carry it. */
export interface GatewayStateChangeV1 {
  tenantId: string;
  /** 16 lower-case hex digits. */
  gatewayId: string;
  siteId: string;
  connectionId: string | null;
  /** RFC 3339: the later of ChirpStack's last-seen time and the last uplink it relayed; null if never seen. */
  lastSeenAt: string | null;
  /** What told: ChirpStack's state and last-seen time, or an uplink it relayed. */
  basis: 'chirpstack' | 'uplinks';
  /** RFC 3339: when the change was noticed. */
  at: string;
}

export const GATEWAY_STATE_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tenantId', 'gatewayId', 'siteId', 'connectionId', 'lastSeenAt', 'basis', 'at'],
  properties: {
    tenantId: { type: 'string', format: 'uuid' },
    gatewayId: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    siteId: { type: 'string', format: 'uuid' },
    connectionId: { type: ['string', 'null'], format: 'uuid' },
    lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
    basis: { enum: ['chirpstack', 'uplinks'] },
    at: { type: 'string', format: 'date-time' },
  },
};

export const GATEWAY_STATE_EXAMPLE: GatewayStateChangeV1 = {
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  gatewayId: '0016c001f153a14c',
  siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
  connectionId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
  lastSeenAt: '2026-12-06T09:29:31.000Z',
  basis: 'chirpstack',
  at: '2026-12-06T09:31:00.000Z',
};
