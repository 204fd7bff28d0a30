import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { GatewayConfig } from '../config';
import { GatewayModule } from '../gateway.module';
import { API_ROUTE_MODULES } from '../route-modules';
import { addWebhookPaths } from '../webhooks/webhook-openapi';
import { describeApi } from './openapi-document';

/**
 * Generates the OpenAPI document from the gateway's module graph in preview mode (no provider
 * is instantiated, nothing connects). runService builds and starts the real app in one step,
 * so the document is made beforehand and handed to the module that serves it.
 */
export async function describeGatewayApi(config: GatewayConfig): Promise<OpenAPIObject> {
  const preview = await NestFactory.create(GatewayModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return addWebhookPaths(describeApi(preview, config.version, [...API_ROUTE_MODULES]));
  } finally {
    await preview.getHttpAdapter().close();
  }
}
