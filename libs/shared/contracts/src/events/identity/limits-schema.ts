import type { JsonSchema } from '../define-event';

const LIMIT = { type: ['integer', 'null'], minimum: 0 };

/**
 * JSON Schema of UsageLimits: every limit an integer or null (unlimited), all present but
 * `webhooksPerMinute`, which events published before it existed lack (consumers then keep
 * their default).
 */
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
    webhooksPerMinute: LIMIT,
  },
};
