import { Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy } from '@nats-io/jetstream';
import { IdentityEvents, STREAMS } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { EventFeed } from '@parking/messaging';
import type { GatewayConfig } from '../config';
import { AccessEndings, announceResumptions } from './access-endings';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthModule } from './auth.module';

/** What the gateway follows on IDENTITY to drop revoked API keys (declared in NATS_ACCESS). */
export const API_KEY_REVOCATIONS_FILTER = `${IdentityEvents.API_KEY_REVOKED_V1}.>`;

/**
 * Makes a revoked or rotated API key stop working on this gateway at once: follows identity's
 * `identity.api_key.revoked.v1` (new events only: a key revoked before this process started is
 * in no cache here) and drops the key from ApiKeyAuthenticator's cache. While the feed does not
 * follow (at boot, or while it is being created again) the authenticator caches nothing, so a
 * revocation published meanwhile cannot be missed. The revocation is also announced as an
 * AccessEnding, which ends the key's live streams.
 */
@Injectable()
export class ApiKeyRevocationFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly feed: EventFeed;

  constructor(
    @InjectConfig() config: GatewayConfig,
    private readonly authenticator: ApiKeyAuthenticator,
    endings: AccessEndings,
  ) {
    authenticator.followingRevocations(false);
    const announceResumption = announceResumptions(endings);
    this.feed = new EventFeed({
      natsUrl: config.nats.url,
      natsAuth: config.nats.auth,
      connectionName: 'gateway-api-key-revocations',
      namespace: config.nats.namespace,
      stream: STREAMS.IDENTITY.name,
      filter: API_KEY_REVOCATIONS_FILTER,
      deliverPolicy: DeliverPolicy.New,
      label: 'API key revocation',
      logger: new Logger(ApiKeyRevocationFeed.name),
      onEvent: (envelope) => {
        if (envelope.type !== IdentityEvents.API_KEY_REVOKED_V1) return;
        const { apiKeyId, tenantId } = envelope.data as IdentityEvents.ApiKeyRevokedV1Data;
        authenticator.forget(apiKeyId);
        endings.announce({ kind: 'api-key-revoked', tenantId, apiKeyId });
      },
      onFollowingChanged: (following) => {
        authenticator.followingRevocations(following);
        announceResumption(following);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.feed.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed.stop();
    this.authenticator.followingRevocations(false);
  }
}

/** The feed beside the AuthModule it serves (kept apart, so AuthModule runs without NATS in unit specs). */
@Module({ imports: [AuthModule], providers: [ApiKeyRevocationFeed] })
export class ApiKeyRevocationModule {}
