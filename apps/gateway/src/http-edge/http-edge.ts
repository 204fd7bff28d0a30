import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { InjectConfig } from '@parking/config';
import type { GatewayConfig } from '../config';
import { SWAGGER_UI_ASSETS_PREFIX } from '../openapi/api-docs.controller';
import { RateLimits } from '../rate-limit/rate-limits';
import { registerCors, registerSecurityHeaders } from './security-headers';

/**
 * The Fastify plugins in front of every route, queued while Nest initialises (runService gives
 * the app no earlier hook). Nothing here may be awaited: loading plugins now would make Fastify
 * settle the routes Nest registered a moment ago with its default error handler, before Nest
 * installs its own (problem+json) one. Queued, they load when Fastify gets ready, and root hooks
 * then apply to every route. Order matters: CORS headers must be on a 429 too.
 */
@Injectable()
export class HttpEdge implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost<FastifyAdapter>,
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly rateLimits: RateLimits,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    const fastify = adapter.getInstance() as unknown as FastifyInstance;
    registerSecurityHeaders(fastify);
    registerCors(fastify, this.config.http.corsOrigins);
    this.rateLimits.register(fastify);
    void adapter.useStaticAssets({ root: swaggerUiAssets(), prefix: SWAGGER_UI_ASSETS_PREFIX, decorateReply: false, index: false });
  }
}

/** The Swagger UI files of the swagger-ui-dist that @nestjs/swagger depends on (its own export map hides its helper). */
function swaggerUiAssets(): string {
  return path.dirname(require.resolve('swagger-ui-dist/package.json', { paths: [path.dirname(require.resolve('@nestjs/swagger'))] }));
}
