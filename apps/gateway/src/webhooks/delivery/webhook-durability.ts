import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import path from 'node:path';
import { InjectConfig } from '@parking/config';
import { PLATFORM_TENANT_TOKEN, RAW_WEBHOOK_HEADERS } from '@parking/contracts';
import type { GatewayConfig } from '../../config';
import { WebhookSpool } from '../spool/webhook-spool';
import { reportSpoolStats, spoolCapacityBytes } from '../webhook-metrics';
import { DurableWebhookSink, type Acceptance, type OutgoingWebhook, type WebhookDurabilityHealth } from './durable-webhook-sink';
import { SpoolReplayer } from './spool-replayer';
import { WebhookNatsLink } from './webhook-nats-link';

/** Under SPOOL_DIR, beside the integrations file. */
export const WEBHOOK_SPOOL_SUBDIR = 'webhooks';

/**
 * Runs the durable half of the webhook edge with the application: the NATS link, the spool
 * (replayed at boot and whenever NATS is back), and the sink the routes hand webhooks to.
 * Nothing here blocks boot on NATS.
 */
@Injectable()
export class WebhookDurability implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly link: WebhookNatsLink;
  private spool?: WebhookSpool;
  private replayer?: SpoolReplayer;
  private sinkInstance?: DurableWebhookSink;

  constructor(@InjectConfig() private readonly config: GatewayConfig) {
    this.link = new WebhookNatsLink({ natsUrl: config.nats.url, natsAuth: config.nats.auth, namespace: config.nats.namespace, streamReplicas: config.nats.streamReplicas, streamLimits: config.nats.streamLimits, logger: this.plainLogger() });
  }

  async onModuleInit(): Promise<void> {
    const dir = path.join(this.config.spool.dir, WEBHOOK_SPOOL_SUBDIR);
    try {
      this.spool = await WebhookSpool.open({
        dir,
        maxBytes: this.config.spool.maxBytes,
        // Each tenant (and the platform secret's webhooks, together) gets its share.
        maxBytesPerOwner: this.config.spool.maxBytesPerTenant,
        ownerOf: (webhook) => webhook.headers[RAW_WEBHOOK_HEADERS.tenantId] ?? PLATFORM_TENANT_TOKEN,
        warn: (message) => this.logger.warn(message),
      });
      const { events, bytes } = this.spool.stats;
      if (events > 0) this.logger.log(`the webhook spool holds ${events} webhook(s) (${bytes} bytes); replaying them once NATS answers`);
    } catch (error) {
      this.logger.error(`cannot open the webhook spool in ${dir} (${(error as Error).message}): webhooks are refused while NATS is unreachable`);
    }
    this.sinkInstance = new DurableWebhookSink(this.link, this.spool, { publishTimeoutMs: this.config.webhooks.publishTimeoutMs, logger: this.plainLogger() });
    if (this.spool) {
      this.replayer = new SpoolReplayer(this.spool, this.link, { publishTimeoutMs: this.config.webhooks.publishTimeoutMs, logger: this.plainLogger() });
      this.replayer.start();
    }
    this.link.start();
    spoolCapacityBytes.set(this.config.spool.maxBytes);
    reportSpoolStats(() => this.spool?.stats ?? { events: 0, bytes: 0 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replayer?.stop();
    await this.spool?.close();
    await this.link.stop();
  }

  accept(webhook: OutgoingWebhook): Promise<Acceptance> {
    if (!this.sinkInstance) throw new Error('webhook durability is not started');
    return this.sinkInstance.accept(webhook);
  }

  health(): WebhookDurabilityHealth {
    if (!this.sinkInstance) throw new Error('webhook durability is not started');
    return this.sinkInstance.health();
  }

  /** NATS answers a round trip on the webhook connection (readiness). */
  async natsAnswers(): Promise<boolean> {
    const connection = this.link.connection;
    if (!this.link.connected || !connection) return false;
    return connection.flush().then(
      () => true,
      () => false,
    );
  }

  private plainLogger() {
    return {
      log: (message: string) => this.logger.log(message),
      debug: (message: string) => this.logger.debug(message),
      warn: (message: string) => this.logger.warn(message),
      error: (message: string) => this.logger.error(message),
    };
  }
}
