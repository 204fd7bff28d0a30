import { Injectable, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@parking/service-runtime';
import { WebhookDurability } from './webhooks/delivery/webhook-durability';

/**
 * The gateway is ready when it can make a webhook durable: NATS answers, or the spool can
 * still take events until NATS is back.
 */
@Injectable()
export class WebhookDurabilityCheck implements OnModuleInit {
  constructor(
    private readonly durability: WebhookDurability,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('webhook-durability', () => this.check());
  }

  private async check(): Promise<void> {
    if (await this.durability.natsAnswers()) return;
    const { spool } = this.durability.health();
    if (!spool.available) throw new Error('NATS is not connected and the webhook spool could not be opened');
    if (spool.full) throw new Error(`NATS is not connected and the webhook spool is full (${spool.bytes} of ${spool.capacityBytes} bytes)`);
  }
}
