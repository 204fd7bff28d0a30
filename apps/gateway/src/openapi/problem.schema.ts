import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** RFC 9457 problem details as every error of the API renders them (see @parking/problem-details). */
export const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'instance', 'requestId'],
  properties: {
    type: { type: 'string', example: '/problems/validation-failed' },
    title: { type: 'string', example: 'The request is not valid' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'The request has 1 invalid field: tenantId.' },
    code: { type: 'string', example: 'VALIDATION_FAILED' },
    instance: { type: 'string', example: '/api/v1/api-keys' },
    requestId: { type: 'string', example: '4f0c1f5e-2b7e-4c61-93c9-0c3c5b0d8a11' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string', example: 'tenantId' }, message: { type: 'string', example: 'property tenantId should not exist' } },
      },
    },
  },
  additionalProperties: true,
};
