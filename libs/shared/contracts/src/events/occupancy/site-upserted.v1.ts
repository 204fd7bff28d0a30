import { OPENING_HOURS_SCHEMA, type OpeningHours } from '../../occupancy/occupancy-fields';
import { defineEvent } from '../define-event';

export const SITE_UPSERTED_V1 = 'occupancy.site.upserted.v1' as const;

export interface SiteUpsertedV1Data {
  tenantId: string;
  siteId: string;
  name: string;
  /** IANA time zone, in which the opening hours are read. */
  timeZone: string;
  /** Ranges per weekday as the site payloads take them; null: always open. */
  openingHours: OpeningHours | null;
  /** Grows by one with every change of this site: a subscriber drops what it has already seen. */
  version: number;
}

export const SiteUpsertedV1 = defineEvent<SiteUpsertedV1Data, typeof SITE_UPSERTED_V1>({
  type: SITE_UPSERTED_V1,
  aggregate: 'site',
  description:
    'A site was created or changed (any of its fields, including those this event does not carry), in the same transaction as ' +
    'the change. Carries the site as it is now: apply it only when `version` is greater than the copy you hold; the inventory ' +
    'snapshot (rpc.occupancy.v1.inventory.snapshot) answers the same versions.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'siteId', 'name', 'timeZone', 'openingHours', 'version'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      siteId: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      timeZone: { type: 'string', minLength: 1, maxLength: 64 },
      openingHours: OPENING_HOURS_SCHEMA,
      version: { type: 'integer', minimum: 1 },
    },
  },
  exampleAggregateId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    siteId: '4b8e2f1a-6c3d-4e7f-9a0b-1c2d3e4f5a6b',
    name: 'Alexa car park',
    timeZone: 'Europe/Berlin',
    openingHours: { mon: ['07:00-22:00'], tue: ['07:00-22:00'], sat: ['09:00-14:00', '16:00-20:00'] },
    version: 3,
  },
});
