import { defineEvent } from '../define-event';

export const TENANT_SUSPENDED_V1 = 'identity.tenant.suspended.v1' as const;

export interface TenantSuspendedV1Data {
  tenantId: string;
  /** Why, in words an operator reads; never a secret. */
  reason: string;
  /** RFC 3339 */
  suspendedAt: string;
}

export const TenantSuspendedV1 = defineEvent<TenantSuspendedV1Data, typeof TENANT_SUSPENDED_V1>({
  type: TENANT_SUSPENDED_V1,
  aggregate: 'tenant',
  description: 'A tenant was suspended: its users can no longer sign in and its API keys and webhooks are refused.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'reason', 'suspendedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      reason: { type: 'string', minLength: 1, maxLength: 500 },
      suspendedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reason: 'Invoice overdue for 60 days',
    suspendedAt: '2025-05-02T00:00:00.000Z',
  },
});
