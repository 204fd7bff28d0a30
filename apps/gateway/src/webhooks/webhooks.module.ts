import { Module } from '@nestjs/common';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { WebhookIntegrationsModule } from '../webhook-integrations';
import { WebhookDurability } from './delivery/webhook-durability';
import { WebhookRoutes } from './edge/webhook-routes';

/** The ChirpStack webhook edge: routes (registered on Fastify by main.ts), the NATS link, the spool. */
@Module({
  imports: [WebhookIntegrationsModule, RateLimitModule],
  providers: [WebhookDurability, WebhookRoutes],
  exports: [WebhookDurability, WebhookRoutes],
})
export class WebhooksModule {}
