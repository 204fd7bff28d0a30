import { ZONE_KINDS, ZONE_MAX_DEPTH, type ZoneKind } from '../../occupancy/occupancy-fields';
import { defineEvent } from '../define-event';

export const ZONE_UPSERTED_V1 = 'occupancy.zone.upserted.v1' as const;

export interface ZoneUpsertedV1Data {
  tenantId: string;
  zoneId: string;
  siteId: string;
  /** The zone it nests in directly; null for a zone at the top of its site. */
  parentZoneId: string | null;
  /** Its ancestors from the top, then the zone itself. Fixed once the zone is created. */
  path: string[];
  name: string;
  kind: ZoneKind;
  /** Grows by one with every change of this zone: a subscriber drops what it has already seen. */
  version: number;
}

export const ZoneUpsertedV1 = defineEvent<ZoneUpsertedV1Data, typeof ZONE_UPSERTED_V1>({
  type: ZONE_UPSERTED_V1,
  aggregate: 'zone',
  description:
    'A zone (or level) was created or changed, in the same transaction as the change. Its site, parent and path never change ' +
    'once it exists; name and kind may. Apply it only when `version` is greater than the copy you hold; the inventory ' +
    'snapshot (rpc.occupancy.v1.inventory.snapshot) answers the same versions.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'zoneId', 'siteId', 'parentZoneId', 'path', 'name', 'kind', 'version'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      zoneId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      parentZoneId: { type: ['string', 'null'], format: 'uuid' },
      path: { type: 'array', minItems: 1, maxItems: ZONE_MAX_DEPTH, items: { type: 'string', format: 'uuid' } },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      kind: { enum: [...ZONE_KINDS] },
      version: { type: 'integer', minimum: 1 },
    },
  },
  exampleAggregateId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    zoneId: '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    parentZoneId: '2c4e6a8b-1d3f-4a5b-8c7d-9e0f1a2b3c4d',
    path: ['2c4e6a8b-1d3f-4a5b-8c7d-9e0f1a2b3c4d', '7e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b'],
    name: 'North',
    kind: 'zone',
    version: 2,
  },
});
