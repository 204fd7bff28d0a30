import { defineEvent } from '../define-event';

export const SPACE_REMOVED_V1 = 'occupancy.space.removed.v1' as const;

export interface SpaceRemovedV1Data {
  tenantId: string;
  spaceId: string;
  siteId: string;
  /** RFC 3339 */
  removedAt: string;
}

export const SpaceRemovedV1 = defineEvent<SpaceRemovedV1Data, typeof SPACE_REMOVED_V1>({
  type: SPACE_REMOVED_V1,
  aggregate: 'space',
  description: 'A space was deleted, with its live state and sensor assignment; its history stays for the statistics. Ids are never reused.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'spaceId', 'siteId', 'removedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      removedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    removedAt: '2026-03-01T09:34:15.840Z',
  },
});
