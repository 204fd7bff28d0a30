import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IDENTITY_RPC, type Principal } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import type { GatewayConfig } from '../config';

const MAX_CACHED_KEYS = 10_000;

interface CachedPrincipal {
  principal: Principal;
  expiresAt: number;
}

/**
 * Verifies an API key through identity and remembers the answer for a short while, keyed by
 * the SHA-256 of the key so no secret sits in memory. A revoked key keeps working for at most
 * `apiKeyCacheTtlMs`; refusals are never cached, so a key works as soon as it exists.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly inFlight = new Map<string, Promise<Principal>>();

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  async authenticate(key: string): Promise<Principal> {
    const digest = createHash('sha256').update(key).digest('hex');
    const cached = this.cache.get(digest);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    this.cache.delete(digest);

    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.askIdentity(digest, key).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  private async askIdentity(digest: string, key: string): Promise<Principal> {
    const { principal } = await this.rpc.call(IDENTITY_RPC.authenticateApiKey, { key }, {}, { timeoutMs: this.config.rpc.timeoutMs });
    if (principal?.kind !== 'api-key' || !Array.isArray(principal.permissions)) {
      throw new DomainError('INTERNAL', 'Identity answered an API key check with an unreadable principal.');
    }
    if (this.config.auth.apiKeyCacheTtlMs > 0) this.remember(digest, principal);
    return principal;
  }

  private remember(digest: string, principal: Principal): void {
    // Map keeps insertion order: dropping the first entry drops the oldest.
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(digest, { principal, expiresAt: Date.now() + this.config.auth.apiKeyCacheTtlMs });
  }
}
