import { defineEvent } from '../define-event';

export const WEBHOOK_INTEGRATION_DELETED_V1 = 'identity.webhook_integration.deleted.v1' as const;

export interface WebhookIntegrationDeletedV1Data {
  id: string;
  tenantId: string;
  /** RFC 3339 */
  deletedAt: string;
}

export const WebhookIntegrationDeletedV1 = defineEvent<WebhookIntegrationDeletedV1Data, typeof WEBHOOK_INTEGRATION_DELETED_V1>({
  type: WEBHOOK_INTEGRATION_DELETED_V1,
  aggregate: 'webhook_integration',
  description: 'A webhook integration was deleted: refuse its tokens and signatures from now on.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'tenantId', 'deletedAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      tenantId: { type: 'string', format: 'uuid' },
      deletedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21',
  example: {
    id: '1d4f0c8e-2a7b-4c61-9e3f-5b8a7d6c4e21',
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    deletedAt: '2025-03-05T12:00:00.000Z',
  },
});
