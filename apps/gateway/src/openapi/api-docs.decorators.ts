import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiSecurity } from '@nestjs/swagger';

export const ACCESS_TOKEN_SCHEME = 'access-token';
export const API_KEY_SCHEME = 'api-key';

const PROBLEMS: Record<number, { description: string; code: string; detail: string }> = {
  400: { description: 'Invalid input: unknown or invalid fields and query parameters', code: 'VALIDATION_FAILED', detail: 'The request has 1 invalid field: limit.' },
  401: { description: 'Missing, invalid or expired credentials (see WWW-Authenticate)', code: 'UNAUTHENTICATED', detail: 'This route needs an access token (Authorization: Bearer <token>) or an API key (X-API-Key).' },
  403: { description: 'The role or API key lacks the permission', code: 'FORBIDDEN', detail: 'This API key lacks the scope users:write.' },
  404: { description: 'No such resource in the caller’s tenant', code: 'NOT_FOUND', detail: 'API key "2f6c…" does not exist.' },
  409: { description: 'Conflicts with the current state', code: 'CONFLICT', detail: 'The email is already registered.' },
  429: { description: 'Rate limit reached (see Retry-After and RateLimit-*)', code: 'RATE_LIMITED', detail: 'More requests than this caller may send (600 per window); retry in 12 s.' },
  503: { description: 'A service behind the gateway cannot be reached', code: 'UNAVAILABLE', detail: 'No service answers rpc.identity.v1.auth.login at the moment.' },
  504: { description: 'A service behind the gateway did not answer in time', code: 'UPSTREAM_TIMEOUT', detail: 'rpc.identity.v1.auth.login did not answer within 5000 ms.' },
};

/** Error responses as problem+json, each with an example. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => {
      const problem = PROBLEMS[status];
      return ApiResponse({
        status,
        description: problem.description,
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/Problem' },
            example: { type: `/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`, title: problem.description, status, detail: problem.detail, code: problem.code, instance: '/api/v1/…', requestId: '4f0c1f5e-2b7e-4c61-93c9-0c3c5b0d8a11' },
          },
        },
      });
    }),
  );
}

/** A route for signed-in users or API keys: either scheme, plus the errors every such route may answer. */
export function ApiAuthenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(ACCESS_TOKEN_SCHEME), ApiSecurity(API_KEY_SCHEME), ApiProblems(400, 401, 403, 429, 503, 504));
}

/** A public route that still talks to identity. */
export function ApiPublicRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiProblems(400, 429, 503, 504));
}
