import type { FastifyHooks } from '../fastify-hooks';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Echoes the request id in every response, including 404s and body errors. Pair it with
 * `new FastifyAdapter({ genReqId: requestIdFor })`: Fastify's `request.id` then is our id,
 * and nestjs-pino reuses it (its middleware copies `request.id` onto the raw request).
 */
export function registerRequestIdHeader(fastify: FastifyHooks): void {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
}
