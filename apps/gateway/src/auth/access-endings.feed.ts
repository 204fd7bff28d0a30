import { Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy } from '@nats-io/jetstream';
import { IdentityEvents, STREAMS, type EventEnvelope } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { EventFeed } from '@parking/messaging';
import type { GatewayConfig } from '../config';
import { AccessEndings, announceResumptions, type AccessEnding } from './access-endings';
import { AuthModule } from './auth.module';

/** What the gateway follows on IDENTITY to end a removed user's and a suspended tenant's live streams (declared in NATS_ACCESS). */
export const USER_REMOVALS_FILTER = `${IdentityEvents.USER_REMOVED_V1}.>`;
export const TENANT_SUSPENSIONS_FILTER = `${IdentityEvents.TENANT_SUSPENDED_V1}.>`;

/**
 * Follows identity's `identity.user.removed.v1` and `identity.tenant.suspended.v1` (new events
 * only) and announces them as AccessEndings. One ordered consumer each: a NATS 2.9 consumer
 * has one filter subject, and a wider one (`identity.>`) would hand the gateway events it has
 * no business reading.
 */
@Injectable()
export class AccessEndingsFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly feeds: EventFeed[];

  constructor(@InjectConfig() config: GatewayConfig, endings: AccessEndings) {
    const logger = new Logger(AccessEndingsFeed.name);
    const follow = (filter: string, label: string, connectionName: string, endingOf: (envelope: EventEnvelope) => AccessEnding | undefined) =>
      new EventFeed({
        natsUrl: config.nats.url,
        natsAuth: config.nats.auth,
        connectionName,
        namespace: config.nats.namespace,
        stream: STREAMS.IDENTITY.name,
        filter,
        deliverPolicy: DeliverPolicy.New,
        label,
        logger,
        onEvent: (envelope) => {
          const ending = endingOf(envelope);
          if (ending) endings.announce(ending);
        },
        onFollowingChanged: announceResumptions(endings),
      });
    this.feeds = [
      follow(USER_REMOVALS_FILTER, 'user removal', 'gateway-user-removals', (envelope) => {
        if (envelope.type !== IdentityEvents.USER_REMOVED_V1) return undefined;
        const { tenantId, userId } = envelope.data as IdentityEvents.UserRemovedV1Data;
        return { kind: 'user-removed', tenantId, userId };
      }),
      follow(TENANT_SUSPENSIONS_FILTER, 'tenant suspension', 'gateway-tenant-suspensions', (envelope) => {
        if (envelope.type !== IdentityEvents.TENANT_SUSPENDED_V1) return undefined;
        return { kind: 'tenant-suspended', tenantId: (envelope.data as IdentityEvents.TenantSuspendedV1Data).tenantId };
      }),
    ];
  }

  onApplicationBootstrap(): void {
    for (const feed of this.feeds) feed.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.feeds.map((feed) => feed.stop()));
  }
}

/** The feed beside the AuthModule whose AccessEndings it fills (kept apart, so AuthModule runs without NATS in unit specs). */
@Module({ imports: [AuthModule], providers: [AccessEndingsFeed] })
export class AccessEndingsModule {}
