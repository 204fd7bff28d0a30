import { Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CONFIG, InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import { SecretBox } from '@parking/secret-box';
import type { GatewayConfig } from '../config';
import { webhookIntegrationsHeld } from './integration-count.metric';
import { IntegrationDirectory } from './integration-directory';
import { IntegrationDirectoryFeed } from './integration-directory.feed';

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
  if (!secretsKey) logger.warn('SECRETS_KEY is not set: signed webhooks will be refused (bearer tokens still work)');
  const box = secretsKey ? new SecretBox(secretsKey, secretsKeyPrevious ? [secretsKeyPrevious] : []) : null;
  return new IntegrationDirectory(box ? (sealed) => box.openText(sealed) : null, Date.now, (message) => logger.warn(message));
}

/** The in-memory webhook integration directory the webhook routes check tokens and signatures with. */
@Module({
  providers: [
    { provide: IntegrationDirectory, inject: [CONFIG], useFactory: createDirectory },
    IntegrationDirectoryLifecycle,
  ],
  exports: [IntegrationDirectory],
})
export class WebhookIntegrationsModule {}
