import { defineEvent } from '../define-event';

export const SITE_REMOVED_V1 = 'occupancy.site.removed.v1' as const;

export interface SiteRemovedV1Data {
  tenantId: string;
  siteId: string;
  /** RFC 3339 */
  removedAt: string;
}

export const SiteRemovedV1 = defineEvent<SiteRemovedV1Data, typeof SITE_REMOVED_V1>({
  type: SITE_REMOVED_V1,
  aggregate: 'site',
  description:
    'A site was deleted. A site is deleted only once it has no spaces left; its zones go with it, each announced by ' +
    'occupancy.zone.removed.v1 in the same transaction, published before this event. Ids are never reused.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'siteId', 'removedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      removedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    removedAt: '2026-03-01T09:34:15.840Z',
  },
});
