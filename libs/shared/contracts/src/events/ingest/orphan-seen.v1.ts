import { DEV_EUI_PATTERN } from '../../ingest/uplink';
import { defineEvent } from '../define-event';

export const ORPHAN_SEEN_V1 = 'ingest.orphan.seen.v1' as const;

/**
 * Tenant of orphan events that the platform secret signed: no tenant is known, and the
 * envelope needs one. Subscribe to `ingest.orphan.seen.v1.>` to see every orphan.
 */
export const PLATFORM_TENANT_ID = '00000000-0000-0000-0000-000000000000';

export interface OrphanSeenV1Data {
  devEui: string;
  /** The tenant whose integration sent it; null when the platform secret signed it. */
  sourceTenantId: string | null;
  /** ChirpStack event kind: up, join, status, … */
  event: string;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

export const OrphanSeenV1 = defineEvent<OrphanSeenV1Data, typeof ORPHAN_SEEN_V1>({
  type: ORPHAN_SEEN_V1,
  aggregate: 'orphan (devEUI)',
  description:
    'An event arrived for a devEUI that is not registered to the sending tenant (or to anyone, when the platform secret signed it). ' +
    'The envelope tenant is the sending tenant, or 00000000-0000-0000-0000-000000000000 for platform-signed events.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['devEui', 'sourceTenantId', 'event', 'count', 'firstSeenAt', 'lastSeenAt'],
    properties: {
      devEui: { type: 'string', pattern: DEV_EUI_PATTERN },
      sourceTenantId: { type: ['string', 'null'], format: 'uuid' },
      event: { type: 'string', pattern: '^[a-z]+$', maxLength: 20 },
      count: { type: 'integer', minimum: 1 },
      firstSeenAt: { type: 'string', format: 'date-time' },
      lastSeenAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '70b3d5e75e003c99',
  example: {
    devEui: '70b3d5e75e003c99',
    sourceTenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    event: 'up',
    count: 3,
    firstSeenAt: '2026-03-01T08:00:00.000Z',
    lastSeenAt: '2026-03-01T09:34:15.802Z',
  },
});
