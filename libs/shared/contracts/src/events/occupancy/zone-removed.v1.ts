import { defineEvent } from '../define-event';

export const ZONE_REMOVED_V1 = 'occupancy.zone.removed.v1' as const;

export interface ZoneRemovedV1Data {
  tenantId: string;
  zoneId: string;
  siteId: string;
  /** RFC 3339 */
  removedAt: string;
}

export const ZoneRemovedV1 = defineEvent<ZoneRemovedV1Data, typeof ZONE_REMOVED_V1>({
  type: ZONE_REMOVED_V1,
  aggregate: 'zone',
  description:
    'A zone was deleted: on its own once it held no spaces and no nested zones, or with its site (then one event per zone of ' +
    'the site, nested ones first, before occupancy.site.removed.v1). Ids are never reused.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'zoneId', 'siteId', 'removedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      zoneId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      removedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    zoneId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    removedAt: '2026-03-01T09:34:15.840Z',
  },
});
