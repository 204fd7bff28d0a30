import { DynamicModule, Module } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { RpcClientModule } from '@parking/messaging-nest';
import { ServiceRuntimeModule } from '@parking/service-runtime';
import { AccessEndingsModule } from './auth/access-endings.feed';
import { ApiKeyRevocationModule } from './auth/api-key-revocation.feed';
import { AuthModule } from './auth/auth.module';
import type { GatewayConfig } from './config';
import { HttpEdge } from './http-edge/http-edge';
import { ApiDocsController, OPENAPI_DOCUMENT } from './openapi/api-docs.controller';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { API_ROUTE_MODULES } from './route-modules';
import { WebhookDurabilityCheck } from './webhook-durability.check';
import { WebhookIntegrationsModule } from './webhook-integrations/webhook-integrations.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface GatewayModuleOptions {
  /** The API description served at /docs; generated from this same module before boot (see main.ts). */
  openApiDocument?: OpenAPIObject;
}

/** The only public HTTP surface: REST API, OpenAPI and ChirpStack webhooks. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, options: GatewayModuleOptions = {}): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ServiceRuntimeModule.forRoot(config),
        RpcClientModule.forRoot({
          natsUrl: config.nats.url,
          name: 'gateway',
          namespace: config.nats.namespace,
          timeoutMs: config.rpc.timeoutMs,
          natsAuth: config.nats.auth,
          proof: { issuer: 'gateway', signingKey: config.rpcProof.signingKey as string },
        }),
        AuthModule,
        ApiKeyRevocationModule,
        AccessEndingsModule,
        RateLimitModule,
        ...API_ROUTE_MODULES,
        WebhookIntegrationsModule,
        WebhooksModule,
      ],
      controllers: [ApiDocsController],
      providers: [
        WebhookDurabilityCheck,
        HttpEdge,
        { provide: OPENAPI_DOCUMENT, useValue: options.openApiDocument ?? { openapi: '3.1.0', info: { title: 'Parking platform API', version: config.version }, paths: {} } },
      ],
    };
  }
}
