import { DynamicModule, Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@parking/service-runtime';
import type { GatewayConfig } from './config';
import { WebhookDurabilityCheck } from './webhook-durability.check';

/** The only public HTTP surface: REST API, OpenAPI and ChirpStack webhooks. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ServiceRuntimeModule.forRoot(config)],
      providers: [WebhookDurabilityCheck],
    };
  }
}
