import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { DeliverPolicy, jetstream, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { IdentityEvents, Namespace, STREAMS } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { connectNats, decodeEvent } from '@parking/messaging';
import type { GatewayConfig } from '../config';
import { TenantRequestQuota } from './tenant-request-quota';

const RETRY_MS = { first: 500, max: 15_000 };

/**
 * Keeps TenantRequestQuota in step with identity's `identity.tenant.limits_changed.v1`. An
 * ordered consumer delivering the last event per subject (one subject per tenant) rebuilds
 * every tenant's limit at boot, then follows changes; the gateway owns no database, so
 * memory is the whole state. Runs in the background: the gateway serves (limited per
 * caller only) while NATS or the IDENTITY stream are not there yet.
 */
@Injectable()
export class TenantLimitsFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TenantLimitsFeed.name);
  private readonly stopping = new AbortController();
  private nats?: NatsConnection;
  private messages?: ConsumerMessages;

  constructor(
    @InjectConfig() private readonly config: GatewayConfig,
    private readonly quota: TenantRequestQuota,
  ) {}

  onApplicationBootstrap(): void {
    void this.follow();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.messages?.close().catch(() => undefined);
    await this.nats?.close().catch(() => undefined);
  }

  private async follow(): Promise<void> {
    let waitMs = RETRY_MS.first;
    while (!this.stopping.signal.aborted) {
      try {
        await this.consume();
        waitMs = RETRY_MS.first;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.logger.warn(`tenant limits feed interrupted (${(error as Error).message}); retrying in ${waitMs} ms`);
      }
      await delay(waitMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      waitMs = Math.min(waitMs * 2, RETRY_MS.max);
    }
  }

  private async consume(): Promise<void> {
    const namespace = new Namespace(this.config.nats.namespace);
    this.nats ??= await connectNats({ url: this.config.nats.url, name: 'gateway-tenant-limits' });
    const consumer = await jetstream(this.nats).consumers.get(namespace.stream(STREAMS.IDENTITY.name), {
      filter_subjects: namespace.subject(`${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>`),
      deliver_policy: DeliverPolicy.LastPerSubject,
    });
    this.messages = await consumer.consume();
    for await (const message of this.messages) this.apply(message);
  }

  private apply(message: JsMsg): void {
    const decoded = decodeEvent(message);
    if (!decoded.ok) {
      this.logger.warn(`ignoring a tenant limits event: ${decoded.reason}`);
      return;
    }
    const { tenantId, limits, version } = decoded.envelope.data as IdentityEvents.TenantLimitsChangedV1Data;
    this.quota.remember(tenantId, limits.apiRequestsPerMinute, version);
  }
}
