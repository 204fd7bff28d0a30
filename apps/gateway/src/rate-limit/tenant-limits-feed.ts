import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy } from '@nats-io/jetstream';
import { IdentityEvents, STREAMS } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { EventFeed } from '@parking/messaging';
import type { GatewayConfig } from '../config';
import { TenantQuotas } from './tenant-quotas';

/**
 * Keeps TenantQuotas in step with identity's `identity.tenant.limits_changed.v1`. An
 * ordered consumer delivering the last event per subject (one subject per tenant) rebuilds
 * every tenant's limit at boot, then follows changes; the gateway owns no database, so
 * memory is the whole state. Runs in the background: the gateway serves (limited per
 * caller only) while NATS or the IDENTITY stream are not there yet.
 */
@Injectable()
export class TenantLimitsFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly feed: EventFeed;

  constructor(@InjectConfig() config: GatewayConfig, quotas: TenantQuotas) {
    this.feed = new EventFeed({
      natsUrl: config.nats.url,
      natsAuth: config.nats.auth,
      connectionName: 'gateway-tenant-limits',
      namespace: config.nats.namespace,
      stream: STREAMS.IDENTITY.name,
      filter: `${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>`,
      deliverPolicy: DeliverPolicy.LastPerSubject,
      label: 'tenant limits',
      logger: new Logger(TenantLimitsFeed.name),
      onEvent: (envelope) => {
        const { tenantId, limits, version } = envelope.data as IdentityEvents.TenantLimitsChangedV1Data;
        quotas.remember(tenantId, limits, version);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.feed.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.feed.stop();
  }
}
