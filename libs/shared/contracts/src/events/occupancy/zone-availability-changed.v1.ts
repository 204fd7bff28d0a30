import { AVAILABILITY_COUNTS_SCHEMA, type AvailabilityCounts } from '../../occupancy/space-states';
import { defineEvent } from '../define-event';

export const ZONE_AVAILABILITY_CHANGED_V1 = 'occupancy.zone.availability_changed.v1' as const;

export interface ZoneAvailabilityChangedV1Data {
  tenantId: string;
  siteId: string;
  /** The zone whose counts these are (nested zones included); null: the whole site's. */
  zoneId: string | null;
  counts: AvailabilityCounts;
  /** Grows by one with every change of these counts: a subscriber drops what it has already seen. */
  version: number;
  /** RFC 3339 */
  changedAt: string;
}

export const ZoneAvailabilityChangedV1 = defineEvent<ZoneAvailabilityChangedV1Data, typeof ZONE_AVAILABILITY_CHANGED_V1>({
  type: ZONE_AVAILABILITY_CHANGED_V1,
  aggregate: 'zone',
  description:
    'The counts of free, occupied, reserved, maintenance and unknown spaces of a zone (with its nested zones) or, with ' +
    'zoneId null, of a whole site changed. The subject names the zone, or the site for site-wide counts. Signage follows these.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'siteId', 'zoneId', 'counts', 'version', 'changedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      zoneId: { type: ['string', 'null'], format: 'uuid' },
      counts: AVAILABILITY_COUNTS_SCHEMA,
      version: { type: 'integer', minimum: 1 },
      changedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    zoneId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    counts: { free: 41, occupied: 52, reserved: 3, maintenance: 1, unknown: 3, total: 100 },
    version: 1234,
    changedAt: '2026-03-01T09:34:15.840Z',
  },
});
