import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import type { NatsConnection } from '@nats-io/nats-core';
import { InjectConfig } from '@parking/config';
import { connectNats } from '@parking/messaging';
import { ReadinessRegistry } from '@parking/service-runtime';
import type { GatewayConfig } from './config';

/**
 * The gateway is ready when it can make a webhook durable: NATS answers, or the spool
 * directory is writable so events can wait there until NATS is back.
 */
@Injectable()
export class WebhookDurabilityCheck implements OnModuleInit, OnApplicationShutdown {
  private nats?: NatsConnection;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    // Connecting in the background: the gateway must start and accept webhooks while NATS is down.
    connectNats({ url: this.config.nats.url, name: 'gateway' }).then(
      (nc) => (this.nats = nc),
      () => undefined,
    );
    this.readiness.register('webhook-durability', () => this.check());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nats?.drain().catch(() => undefined);
  }

  private async check(): Promise<void> {
    const natsProblem = await this.natsProblem();
    if (!natsProblem) return;
    try {
      await mkdir(this.config.spool.dir, { recursive: true });
      await access(this.config.spool.dir, constants.W_OK);
    } catch {
      throw new Error(`NATS ${natsProblem} and the spool ${this.config.spool.dir} is not writable`);
    }
  }

  private async natsProblem(): Promise<string | undefined> {
    if (!this.nats || this.nats.isClosed()) return 'is not connected';
    try {
      await this.nats.flush();
      return undefined;
    } catch (error) {
      return `does not answer (${(error as Error).message})`;
    }
  }
}
