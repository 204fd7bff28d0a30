import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService, type RunServiceOptions } from '@parking/service-runtime';
import { bootGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import { HttpEdge } from './http-edge/http-edge';
import { describeGatewayApi } from './openapi/describe-gateway-api';
import { WebhookRoutes } from './webhooks/edge/webhook-routes';

/** The gateway with its configuration from `env`: from main.ts, or beside the other services in one process. */
export async function startGateway(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootGatewayConfig(env);
  const openApiDocument = await describeGatewayApi(config);
  return runService({
    config,
    module: GatewayModule.forRoot(config, { openApiDocument }),
    bodyLimitBytes: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxyHops || false,
    configure: (app) => {
      app.get(HttpEdge).register(app);
      app.get(WebhookRoutes).register(app);
    },
    ...host,
  });
}
