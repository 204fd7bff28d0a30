import { Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CONFIG, InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import { SecretBox, sealedFor } from '@parking/secret-box';
import type { GatewayConfig } from '../config';
import { webhookIntegrationsHeld } from './integration-count.metric';
import { IntegrationDirectory } from './integration-directory';
import { IntegrationDirectoryFeed } from './integration-directory.feed';
import { IntegrationLookup } from './integration-lookup';

const logger = new Logger('WebhookIntegrations');

/** Runs the feed with the application: boots from the spool file, then follows identity in the background. */
@Injectable()
class IntegrationDirectoryLifecycle implements OnModuleInit, OnApplicationShutdown {
  private feed?: IntegrationDirectoryFeed;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    @Inject(IntegrationDirectory) private readonly directory: IntegrationDirectory,
    @Inject(RpcClient) private readonly rpc: RpcClient,
  ) {}

  async onModuleInit(): Promise<void> {
    webhookIntegrationsHeld.set(this.directory.size);
    this.directory.onChange(() => webhookIntegrationsHeld.set(this.directory.size));
    // Deliberately no readiness check: webhooks are accepted from memory while identity or NATS is down.
    this.feed = new IntegrationDirectoryFeed(this.directory, {
      natsUrl: this.config.nats.url,
      natsAuth: this.config.nats.auth,
      namespace: this.config.nats.namespace,
      spoolDir: this.config.spool.dir,
      rpc: this.rpc,
      logger,
    });
    await this.feed.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed?.stop();
  }
}

function createDirectory(config: GatewayConfig): IntegrationDirectory {
  const { secretsKey, secretsKeyPrevious } = config.webhookIntegrations;
  if (!secretsKey) logger.warn('INTEGRATION_SECRETS_KEY is not set: signed webhooks will be refused (bearer tokens still work)');
  const box = secretsKey ? new SecretBox(secretsKey, secretsKeyPrevious ? [secretsKeyPrevious] : []) : null;
  // Each secret opens only as the integration it was sealed for (identity binds it to the id).
  const open = box ? (integrationId: string, sealed: string) => box.openText(sealed, sealedFor.webhookIntegration(integrationId)) : null;
  return new IntegrationDirectory(open, Date.now, (message) => logger.warn(message));
}

function createLookup(config: GatewayConfig, rpc: RpcClient, directory: IntegrationDirectory): IntegrationLookup {
  return new IntegrationLookup(rpc, directory, {
    refusalTtlMs: config.webhooks.unknownCredentialCacheMs,
    timeoutMs: Math.min(config.rpc.timeoutMs, 2_000),
    warn: (message) => logger.warn(message),
  });
}

/**
 * The in-memory webhook integration directory the webhook routes check tokens and signatures
 * with, and the lookup that asks identity about an integration the directory has not heard of.
 */
@Module({
  providers: [
    { provide: IntegrationDirectory, inject: [CONFIG], useFactory: createDirectory },
    { provide: IntegrationLookup, inject: [CONFIG, RpcClient, IntegrationDirectory], useFactory: createLookup },
    IntegrationDirectoryLifecycle,
  ],
  exports: [IntegrationDirectory, IntegrationLookup],
})
export class WebhookIntegrationsModule {}
