import { defineEvent } from '../define-event';

export const API_KEY_REVOKED_V1 = 'identity.api_key.revoked.v1' as const;

/** Why the key stopped working: revoked by its tenant, or replaced by a rotation. */
export type ApiKeyRevocationReason = 'revoked' | 'rotated';

export interface ApiKeyRevokedV1Data {
  apiKeyId: string;
  tenantId: string;
  reason: ApiKeyRevocationReason;
  /** RFC 3339 */
  revokedAt: string;
}

export const ApiKeyRevokedV1 = defineEvent<ApiKeyRevokedV1Data, typeof API_KEY_REVOKED_V1>({
  type: API_KEY_REVOKED_V1,
  aggregate: 'api_key',
  description:
    'An API key stopped working: revoked, or replaced by a rotation. Every gateway drops it from its cache of verified keys at once. Carries the key id only, never the key or its hash.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['apiKeyId', 'tenantId', 'reason', 'revokedAt'],
    properties: {
      apiKeyId: { type: 'string', format: 'uuid' },
      tenantId: { type: 'string', format: 'uuid' },
      reason: { type: 'string', enum: ['revoked', 'rotated'] },
      revokedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '2f6c9a1e-7b3d-4c5e-8f90-a1b2c3d4e5f6',
  example: {
    apiKeyId: '2f6c9a1e-7b3d-4c5e-8f90-a1b2c3d4e5f6',
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    reason: 'revoked',
    revokedAt: '2025-03-05T12:00:00.000Z',
  },
});
