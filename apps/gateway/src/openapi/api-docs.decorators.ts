import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { ERROR_CATALOGUE, problemTypeFor, type ErrorCode } from '@parking/contracts';

export const ACCESS_TOKEN_SCHEME = 'access-token';
export const API_KEY_SCHEME = 'api-key';

const REQUEST_ID_EXAMPLE = '4f0c1f5e-2b7e-4c61-93c9-0c3c5b0d8a11';

const PROBLEMS: Record<number, { description: string; code: string; detail: string }> = {
  400: { description: 'Invalid input: unknown or invalid fields and query parameters', code: 'VALIDATION_FAILED', detail: 'The request has 1 invalid field: limit.' },
  401: { description: 'Missing, invalid or expired credentials (see WWW-Authenticate)', code: 'UNAUTHENTICATED', detail: 'This route needs an access token (Authorization: Bearer <token>) or an API key (X-API-Key).' },
  403: { description: 'The role or API key lacks the permission (where the route names several, any one will do)', code: 'FORBIDDEN', detail: 'This API key lacks the scope users:write.' },
  404: { description: 'No such resource in the caller’s tenant', code: 'NOT_FOUND', detail: 'API key "2f6c…" does not exist.' },
  409: { description: 'Conflicts with the current state', code: 'CONFLICT', detail: 'The email is already registered.' },
  429: { description: 'Rate limit reached (see Retry-After and RateLimit-*)', code: 'RATE_LIMITED', detail: 'More requests than this caller may send (600 per window); retry in 12 s.' },
  503: { description: 'A service behind the gateway cannot be reached', code: 'UNAVAILABLE', detail: 'No service answers rpc.identity.v1.auth.login at the moment.' },
  504: { description: 'A service behind the gateway did not answer in time', code: 'UPSTREAM_TIMEOUT', detail: 'rpc.identity.v1.auth.login did not answer within 5000 ms.' },
};

const AUTHENTICATED_STATUSES = [400, 401, 403, 429, 503, 504];

const commonExample = (status: number) => {
  const problem = PROBLEMS[status];
  return { type: `/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`, title: problem.description, status, detail: problem.detail, code: problem.code, instance: '/api/v1/…', requestId: REQUEST_ID_EXAMPLE };
};

/** Error responses as problem+json, each with an example. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEMS[status].description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: commonExample(status) } },
      }),
    ),
  );
}

/** A problem a route answers besides the common ones: its code, when it happens, and an example. */
export interface RouteProblem {
  code: ErrorCode;
  /** When the route answers it (the response's description). */
  when: string;
  detail: string;
  /** The route's path in the example. */
  instance: string;
  /** Extension members of the example (`conflicts`, `errors`, …). */
  extras?: Record<string, unknown>;
}

/**
 * One response per status, with an example of each code it may carry: OpenAPI holds one
 * response per status, and a second `@ApiResponse` of the same status would replace the first.
 */
function problemResponses(commonStatuses: number[], problems: RouteProblem[]): MethodDecorator[] {
  const statuses = [...new Set([...commonStatuses, ...problems.map((problem) => ERROR_CATALOGUE[problem.code].status)])].sort((a, b) => a - b);
  return statuses.map((status) => {
    const own = problems.filter((problem) => ERROR_CATALOGUE[problem.code].status === status);
    if (own.length === 0) return ApiProblems(status) as MethodDecorator;
    const examples = [
      ...(commonStatuses.includes(status) ? [{ code: PROBLEMS[status].code, when: PROBLEMS[status].description, value: commonExample(status) as Record<string, unknown> }] : []),
      ...own.map((problem) => ({
        code: problem.code as string,
        when: problem.when,
        value: { type: problemTypeFor(problem.code), title: ERROR_CATALOGUE[problem.code].title, status, detail: problem.detail, code: problem.code, instance: problem.instance, requestId: REQUEST_ID_EXAMPLE, ...problem.extras },
      })),
    ];
    const schema = { $ref: '#/components/schemas/Problem' };
    if (examples.length === 1) return ApiResponse({ status, description: examples[0].when, content: { 'application/problem+json': { schema, example: examples[0].value } } });
    const named = new Map<string, { summary: string; value: Record<string, unknown> }>();
    for (const example of examples) {
      const base = example.code.toLowerCase().replace(/_/g, '-');
      let name = base;
      for (let n = 2; named.has(name); n++) name = `${base}-${n}`;
      named.set(name, { summary: `${example.code}: ${example.when}`, value: example.value });
    }
    return ApiResponse({
      status,
      description: examples.map((example) => `${example.code}: ${example.when}`).join('; '),
      content: { 'application/problem+json': { schema, examples: Object.fromEntries(named) } },
    });
  });
}

/**
 * A route for signed-in users or API keys: either scheme, plus the errors every such route may
 * answer, and the route's own `problems` (merged with the common ones of the same status).
 */
export function ApiAuthenticated(...problems: RouteProblem[]): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(ACCESS_TOKEN_SCHEME), ApiSecurity(API_KEY_SCHEME), ...problemResponses(AUTHENTICATED_STATUSES, problems));
}

/** A public route that still talks to identity. */
export function ApiPublicRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiProblems(400, 429, 503, 504));
}
