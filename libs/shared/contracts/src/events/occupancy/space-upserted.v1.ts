import { SPACE_TYPES, type SpaceType } from '../../occupancy/occupancy-fields';
import { defineEvent } from '../define-event';

export const SPACE_UPSERTED_V1 = 'occupancy.space.upserted.v1' as const;

export interface SpaceUpsertedV1Data {
  tenantId: string;
  spaceId: string;
  siteId: string;
  /** The zone the space lies in directly; null for a space outside any zone. */
  zoneId: string | null;
  /** Unique within the site. */
  code: string;
  name: string | null;
  type: SpaceType;
  priceZone: string | null;
  /** Grows by one with every change of this space's fields (not of its state, which has its own version). */
  version: number;
}

export const SpaceUpsertedV1 = defineEvent<SpaceUpsertedV1Data, typeof SPACE_UPSERTED_V1>({
  type: SPACE_UPSERTED_V1,
  aggregate: 'space',
  description:
    'A space was created or changed (code, name, zone, type, price zone, or fields this event does not carry such as tags), ' +
    'in the same transaction as the change. Its live state travels in occupancy.space.state_changed.v1, with a version of ' +
    'its own. Apply it only when `version` is greater than the copy you hold; the inventory snapshot ' +
    '(rpc.occupancy.v1.inventory.snapshot) answers the same versions.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'spaceId', 'siteId', 'zoneId', 'code', 'name', 'type', 'priceZone', 'version'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      spaceId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      zoneId: { type: ['string', 'null'], format: 'uuid' },
      code: { type: 'string', minLength: 1, maxLength: 64 },
      name: { type: ['string', 'null'], maxLength: 200 },
      type: { enum: [...SPACE_TYPES] },
      priceZone: { type: ['string', 'null'], maxLength: 64 },
      version: { type: 'integer', minimum: 1 },
    },
  },
  exampleAggregateId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    spaceId: '9d3f6a1c-2b7e-4c58-8e0a-5f4d3c2b1a09',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    zoneId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    code: 'L2-017',
    name: 'Bay 17, level 2',
    type: 'ev',
    priceZone: 'A',
    version: 4,
  },
});
