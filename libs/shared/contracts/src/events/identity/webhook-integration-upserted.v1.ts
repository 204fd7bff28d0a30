import type { IntegrationCredentials } from '../../identity';
import { defineEvent } from '../define-event';

export const WEBHOOK_INTEGRATION_UPSERTED_V1 = 'identity.webhook_integration.upserted.v1' as const;

export type WebhookIntegrationUpsertedV1Data = IntegrationCredentials & {
  /** Increases with every change of this integration; drop an event older than your copy. */
  version: number;
};

const DATE_OR_NULL = { type: ['string', 'null'], format: 'date-time' };

export const WebhookIntegrationUpsertedV1 = defineEvent<WebhookIntegrationUpsertedV1Data, typeof WEBHOOK_INTEGRATION_UPSERTED_V1>({
  type: WEBHOOK_INTEGRATION_UPSERTED_V1,
  aggregate: 'webhook_integration',
  description:
    'A webhook integration was created, rotated, re-sealed under a new key, or its tenant suspended or reinstated. Carries what the gateway needs to check a webhook: token prefixes and SHA-256 hashes, and the HMAC secrets sealed with INTEGRATION_SECRETS_KEY, each bound to the integration id. Never a secret in the clear.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'tenantId', 'tokens', 'hmacSecrets', 'enabled', 'version'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      tenantId: { type: 'string', format: 'uuid' },
      tokens: {
        type: 'array',
        minItems: 1,
        maxItems: 2,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['prefix', 'sha256', 'validUntil'],
          properties: {
            prefix: { type: 'string', pattern: '^whk_[A-Za-z0-9]{8}$' },
            sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            validUntil: DATE_OR_NULL,
          },
        },
      },
      hmacSecrets: {
        type: 'array',
        minItems: 1,
        maxItems: 2,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['sealed', 'validUntil'],
          properties: { sealed: { type: 'string', minLength: 1, maxLength: 1000 }, validUntil: DATE_OR_NULL },
        },
      },
      enabled: { type: 'boolean' },
      version: { type: 'integer', minimum: 1 },
    },
  },
  exampleAggregateId: '1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21',
  example: {
    id: '1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21',
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    tokens: [
      { prefix: 'whk_Q7mK2xPa', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', validUntil: null },
      { prefix: 'whk_b3Zt9LqE', sha256: '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752', validUntil: '2025-03-02T09:30:00.000Z' },
    ],
    hmacSecrets: [
      { sealed: 'sb1.k3f9a1c2b.Yk1hbm9uY2U.ZXhhbXBsZS1jaXBoZXJ0ZXh0', validUntil: null },
      { sealed: 'sb1.k3f9a1c2b.T2xkbm9uY2U.b2xkLWNpcGhlcnRleHQ', validUntil: '2025-03-02T09:30:00.000Z' },
    ],
    enabled: true,
    version: 2,
  },
});
