import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { GatewayConfig } from '../config';
import { DeviceRoutesModule } from '../device-routes/device-routes.module';
import { GatewayModule } from '../gateway.module';
import { IdentityRoutesModule } from '../identity-routes/identity-routes.module';
import { IngestAdminRoutesModule } from '../ingest-admin-routes/ingest-admin-routes.module';
import { OccupancyRoutesModule } from '../occupancy-routes/occupancy-routes.module';
import { ReservationRoutesModule } from '../reservation-routes/reservation-routes.module';
import { ChirpstackRoutesModule } from '../chirpstack-routes/chirpstack-routes.module';
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
    return addWebhookPaths(describeApi(preview, config.version, [IdentityRoutesModule, DeviceRoutesModule, IngestAdminRoutesModule, OccupancyRoutesModule, ReservationRoutesModule, ChirpstackRoutesModule]));
  } finally {
    await preview.getHttpAdapter().close();
  }
}
