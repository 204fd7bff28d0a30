import { defineEvent } from '../define-event';

export const USER_REMOVED_V1 = 'identity.user.removed.v1' as const;

export interface UserRemovedV1Data {
  tenantId: string;
  userId: string;
  /** RFC 3339 */
  removedAt: string;
}

export const UserRemovedV1 = defineEvent<UserRemovedV1Data, typeof USER_REMOVED_V1>({
  type: USER_REMOVED_V1,
  aggregate: 'user',
  description:
    'A user was removed from its tenant: its refresh tokens are gone, and every gateway ends the live streams it has open. Access tokens it still holds expire on their own (identity refuses them for commands already).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'userId', 'removedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      userId: { type: 'string', format: 'uuid' },
      removedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '9b2d4c1e-5a6f-4e3d-8c7b-0a1f2e3d4c5b',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    userId: '9b2d4c1e-5a6f-4e3d-8c7b-0a1f2e3d4c5b',
    removedAt: '2025-04-10T08:15:00.000Z',
  },
});
