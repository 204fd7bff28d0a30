import { defineEvent } from '../define-event';

export const TENANT_CREATED_V1 = 'identity.tenant.created.v1' as const;

export interface TenantCreatedV1Data {
  tenantId: string;
  name: string;
  /** URL-safe, unique across the platform. */
  slug: string;
  plan: string;
  /** RFC 3339 */
  createdAt: string;
}

export const TenantCreatedV1 = defineEvent<TenantCreatedV1Data, typeof TENANT_CREATED_V1>({
  type: TENANT_CREATED_V1,
  aggregate: 'tenant',
  description: 'A tenant (a parking operator) was created and can now own sites, users and devices.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'name', 'slug', 'plan', 'createdAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
      slug: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 63 },
      plan: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 40 },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    name: 'Harbour Parking Ltd',
    slug: 'harbour-parking',
    plan: 'standard',
    createdAt: '2025-03-01T09:30:00.000Z',
  },
});
