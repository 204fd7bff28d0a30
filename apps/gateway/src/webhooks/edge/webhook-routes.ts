import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../../config';
import { IntegrationDirectory } from '../../webhook-integrations';
import { WebhookDurability } from '../delivery/webhook-durability';
import { DeliveryReporter } from '../reporting/delivery-reporter';
import { IntegrationRateLimit } from './integration-rate-limit';
import { WebhookAuthenticator } from './webhook-authenticator';
import { webhookRoutesPlugin } from './webhook-routes.plugin';

/**
 * Puts the webhook routes on the Fastify instance directly (runService's `configure` hook, see
 * main.ts): a webhook then costs Fastify's routing and the root hooks only, not Nest's
 * guard, interceptor and pipe chain.
 */
@Injectable()
export class WebhookRoutes implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly reporter: DeliveryReporter;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    @Inject(IntegrationDirectory) private readonly directory: IntegrationDirectory,
    @Inject(RpcClient) rpc: RpcClient,
    private readonly durability: WebhookDurability,
  ) {
    this.reporter = new DeliveryReporter(rpc, {
      intervalMs: config.webhooks.deliveryReportIntervalMs,
      warn: (message) => this.logger.warn(message),
    });
  }

  onModuleInit(): void {
    this.reporter.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reporter.stop();
  }

  /** Queues the plugin; Fastify loads it when it gets ready, after the root hooks (see HttpEdge). */
  register(app: NestFastifyApplication): void {
    const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    const { webhooks, nats } = this.config;
    void fastify.register(
      webhookRoutesPlugin({
        namespace: nats.namespace,
        authenticator: new WebhookAuthenticator(this.directory, webhooks.platformSecret),
        rateLimit: new IntegrationRateLimit(webhooks.ratePerMinute),
        reporter: this.reporter,
        accept: (webhook) => this.durability.accept(webhook),
        health: () => this.durability.health(),
        logError: (message, error) => this.logger.error({ err: error }, message),
        logRefusal: (fields) => this.logger.log(fields, `webhook refused with ${fields.status} ${fields.code}`),
      }),
    );
  }
}
