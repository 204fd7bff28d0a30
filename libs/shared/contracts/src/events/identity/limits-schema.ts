import type { JsonSchema } from '../define-event';

const LIMIT = { type: ['integer', 'null'], minimum: 0 };

/** JSON Schema of UsageLimits: every limit present, an integer or null (unlimited). */
export const USAGE_LIMITS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['users', 'apiKeys', 'integrations', 'sites', 'spaces', 'devices', 'apiRequestsPerMinute', 'reservationsPerMonth'],
  properties: {
    users: LIMIT,
    apiKeys: LIMIT,
    integrations: LIMIT,
    sites: LIMIT,
    spaces: LIMIT,
    devices: LIMIT,
    apiRequestsPerMinute: LIMIT,
    reservationsPerMonth: LIMIT,
  },
};
