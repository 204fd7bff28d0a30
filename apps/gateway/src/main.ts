import './tracing';
import { runService } from '@parking/service-runtime';
import { bootGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import { HttpEdge } from './http-edge/http-edge';
import { describeGatewayApi } from './openapi/describe-gateway-api';
import { WebhookRoutes } from './webhooks/edge/webhook-routes';

const config = bootGatewayConfig();
void describeGatewayApi(config).then((openApiDocument) =>
  runService({
    config,
    module: GatewayModule.forRoot(config, { openApiDocument }),
    bodyLimitBytes: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxyHops || false,
    configure: (app) => {
      app.get(HttpEdge).register(app);
      app.get(WebhookRoutes).register(app);
    },
  }),
);
