import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../../config';
import { RateLimitRedis } from '../../rate-limit/rate-limit-redis';
import { TenantQuotas } from '../../rate-limit/tenant-quotas';
import { IntegrationDirectory, IntegrationLookup } from '../../webhook-integrations';
import { WebhookDurability } from '../delivery/webhook-durability';
import { DeliveryReporter } from '../reporting/delivery-reporter';
import { AuthFailureLimit } from './auth-failure-limit';
import { WebhookAuthenticator } from './webhook-authenticator';
import { WebhookQuota } from './webhook-quota';
import { webhookRoutesPlugin } from './webhook-routes.plugin';

/** The quota key of the webhooks signed with the platform secret (no tenant). */
const PLATFORM_QUOTA_KEY = '_platform';

/**
 * Puts the webhook routes on the Fastify instance directly (runService's `configure` hook, see
 * main.ts): a webhook then costs Fastify's routing and the root hooks only, not Nest's
 * guard, interceptor and pipe chain.
 */
@Injectable()
export class WebhookRoutes implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly reporter: DeliveryReporter;
  private readonly quota: WebhookQuota;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    @Inject(IntegrationDirectory) private readonly directory: IntegrationDirectory,
    @Inject(IntegrationLookup) private readonly lookup: IntegrationLookup,
    @Inject(RpcClient) rpc: RpcClient,
    private readonly durability: WebhookDurability,
    private readonly tenants: TenantQuotas,
    redis: RateLimitRedis,
  ) {
    this.quota = new WebhookQuota({ redis: redis.client, keyPrefix: config.rateLimit.keyPrefix, warn: (message) => this.logger.warn(message) });
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
        lookup: (key) => this.lookup.find(key),
        authFailures: new AuthFailureLimit(webhooks.authFailuresPerIp),
        // The tenant's plan (webhooksPerMinute), or the default while this gateway has not learnt it.
        quota: (tenantId) => {
          const planned = tenantId === undefined ? undefined : this.tenants.webhooksPerMinute(tenantId);
          return this.quota.take(tenantId ?? PLATFORM_QUOTA_KEY, planned === undefined ? webhooks.ratePerMinute : planned);
        },
        reporter: this.reporter,
        accept: (webhook) => this.durability.accept(webhook),
        health: () => this.durability.health(),
        logError: (message, error) => this.logger.error({ err: error }, message),
        logRefusal: (fields) => this.logger.log(fields, `webhook refused with ${fields.status} ${fields.code}`),
      }),
    );
  }
}
