import type { FastifyHooks } from '../fastify-hooks';
import { httpRequestDuration } from './instruments';

/** Label for requests that matched no route, so probing scanners cannot explode the series. */
export const UNMATCHED_ROUTE = 'unmatched';

const registered = new WeakSet<object>();

/**
 * Observes every answered request in `http_request_duration_seconds`, labelled with the
 * route pattern (`/reservations/:id`), never the raw URL. Call before the app listens;
 * calling it twice on the same instance has no further effect.
 */
export function registerHttpMetrics(fastify: FastifyHooks): void {
  if (registered.has(fastify)) return;
  registered.add(fastify);
  fastify.addHook('onResponse', async (request, reply) => {
    httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
