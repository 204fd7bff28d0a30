import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { InjectConfig } from '@parking/config';
import type { GatewayConfig } from '../config';
import { SWAGGER_UI_ASSETS_PREFIX } from '../openapi/api-docs.controller';
import { RateLimits } from '../rate-limit/rate-limits';
import { registerCors, registerSecurityHeaders } from './security-headers';

/**
 * The Fastify plugins in front of every route, queued by runService's `configure` hook before
 * Nest registers its routes. Nothing here is awaited: Fastify loads queued plugins when it gets
 * ready, after Nest has installed its (problem+json) error handler, and root hooks then apply to
 * every route. Order matters: CORS headers must be on a 429 too.
 */
@Injectable()
export class HttpEdge {
  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly rateLimits: RateLimits,
  ) {}

  register(app: NestFastifyApplication): void {
    const adapter = app.getHttpAdapter();
    const fastify = adapter.getInstance() as unknown as FastifyInstance;
    registerSecurityHeaders(fastify);
    registerCors(fastify, this.config.http.corsOrigins);
    this.rateLimits.register(fastify);
    void app.useStaticAssets({ root: swaggerUiAssets(), prefix: SWAGGER_UI_ASSETS_PREFIX, decorateReply: false, index: false });
  }
}

/** The Swagger UI files of the swagger-ui-dist that @nestjs/swagger depends on (its own export map hides its helper). */
function swaggerUiAssets(): string {
  return path.dirname(require.resolve('swagger-ui-dist/package.json', { paths: [path.dirname(require.resolve('@nestjs/swagger'))] }));
}
