import { Gauge } from 'prom-client';
import { metricsRegistry } from '@parking/observability';

/** How many webhook integrations the gateway can check without asking identity. */
export const webhookIntegrationsHeld = new Gauge({
  name: 'gateway_webhook_integrations',
  help: 'Webhook integrations held in memory by the gateway.',
  registers: [metricsRegistry],
});
