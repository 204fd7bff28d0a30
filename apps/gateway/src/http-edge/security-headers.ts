import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Headers a browser may read from our answers (rate limits, request id, auth challenges, replayed bookings). */
const EXPOSED_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'x-request-id', 'www-authenticate', 'idempotent-replayed'];

/**
 * Helmet's defaults (CSP 'self', nosniff, frame denial, HSTS, no referrer leaks); the Swagger UI
 * at /docs loads only its own files, so the default CSP holds.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  void fastify.register(helmet, { global: true });
}

/** Cross-origin access only for CORS_ORIGINS; no cookies are used, so no credentials. */
export function registerCors(fastify: FastifyInstance, origins: readonly string[]): void {
  void fastify.register(cors, {
    origin: origins.length > 0 ? [...origins] : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-api-key', 'x-request-id', 'idempotency-key'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
