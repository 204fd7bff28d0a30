import type { UsageLimits } from '../../identity/usage-limits';
import { defineEvent } from '../define-event';
import { USAGE_LIMITS_SCHEMA } from './limits-schema';

export const TENANT_LIMITS_CHANGED_V1 = 'identity.tenant.limits_changed.v1' as const;

export interface TenantLimitsChangedV1Data {
  tenantId: string;
  plan: string;
  /** The effective limits (plan plus overrides); a consumer replaces its copy with these. */
  limits: UsageLimits;
  features: Record<string, boolean>;
  /** Increases with every change of this tenant's limits, so a consumer can drop stale ones. */
  version: number;
  /** RFC 3339 */
  changedAt: string;
}

export const TenantLimitsChangedV1 = defineEvent<TenantLimitsChangedV1Data, typeof TENANT_LIMITS_CHANGED_V1>({
  type: TENANT_LIMITS_CHANGED_V1,
  aggregate: 'tenant',
  description:
    "A tenant's plan, usage limits or feature flags are set (also right after the tenant is created). Services that enforce a limit keep the latest version locally.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'plan', 'limits', 'features', 'version', 'changedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      plan: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 40 },
      limits: USAGE_LIMITS_SCHEMA,
      features: { type: 'object', additionalProperties: { type: 'boolean' } },
      version: { type: 'integer', minimum: 1 },
      changedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    plan: 'standard',
    limits: {
      users: 25,
      apiKeys: 20,
      integrations: 5,
      sites: 10,
      spaces: 2000,
      devices: 2000,
      apiRequestsPerMinute: 600,
      reservationsPerMonth: 50000,
      webhooksPerMinute: 20000,
    },
    features: { reservations: true },
    version: 2,
    changedAt: '2025-03-01T09:30:00.000Z',
  },
});
