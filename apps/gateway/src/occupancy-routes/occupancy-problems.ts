import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { problemTypeFor, type ErrorCode } from '@parking/contracts';

/** A problem+json response specific to the occupancy routes, with its example. */
export function ApiOccupancyProblem(status: number, code: ErrorCode, description: string, detail: string, extras: Record<string, unknown> = {}): MethodDecorator {
  return applyDecorators(
    ApiResponse({
      status,
      description,
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          example: { type: problemTypeFor(code), title: description, status, detail, code, instance: '/api/v1/spaces', requestId: '4f0c1f5e-2b7e-4c61-93c9-0c3c5b0d8a11', ...extras },
        },
      },
    }),
  );
}

const notFound = (what: string) => () =>
  ApiOccupancyProblem(404, 'NOT_FOUND', `No such ${what.toLowerCase()} in the caller’s tenant`, `${what} "5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d" does not exist.`);

export const ApiSiteNotFound = notFound('Site');
export const ApiZoneNotFound = notFound('Zone');
export const ApiSpaceNotFound = notFound('Space');

export const ApiVersionConflict = (what: string) =>
  ApiOccupancyProblem(409, 'CONFLICT', 'The version given is not the current one', `The ${what} is at version 3, not 2; read it again and retry.`, { version: 3 });

export const ApiOccupancyLimit = (limit: 'sites' | 'spaces', max: number) =>
  ApiOccupancyProblem(
    403,
    'LIMIT_EXCEEDED',
    `The tenant's plan limit of ${limit} is reached (or the caller lacks the permission)`,
    `The tenant's plan allows ${max} ${limit}, and ${max} exist, so one more would exceed it; delete ${limit} or ask for a larger plan.`,
    { limit, max, used: max, errors: [{ field: `limits.${limit}`, message: `at most ${max}` }] },
  );
