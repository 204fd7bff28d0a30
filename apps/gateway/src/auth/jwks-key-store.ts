import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { importJWK, type JWK } from 'jose';
import { IDENTITY_RPC } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import type { GatewayConfig } from '../config';

/**
 * The public keys that verify access tokens, fetched from identity and kept in memory.
 * A token with an unknown `kid` (identity rotated its key) triggers a refresh, at most one
 * per `jwksRefreshMinIntervalMs`, so a flood of forged kids cannot hammer identity. Every
 * `jwksRefreshIntervalMs` the set is fetched again regardless, and replaced: a key identity
 * retired (its tokens expired) or revoked is no longer trusted after that. A failed refresh
 * keeps the keys held.
 */
@Injectable()
export class JwksKeyStore implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JwksKeyStore.name);
  private keys = new Map<string, KeyObject>();
  /** When a token's unknown kid last made this store ask (the periodic refresh does not count: it knows no new kid). */
  private lastAskedForKidAt = Number.NEGATIVE_INFINITY;
  private lastFailure?: DomainError;
  private refreshing?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = this.config.auth.jwksRefreshIntervalMs;
    if (!everyMs || everyMs <= 0) return;
    this.timer = setInterval(() => {
      // Only once keys are held: until then every token with a kid asks anyway.
      if (this.keys.size === 0 || this.refreshing) return;
      this.refreshing = this.refresh()
        .catch(() => undefined)
        .finally(() => (this.refreshing = undefined));
    }, everyMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
  }

  /** The key named `kid`, refreshing once if it is new; undefined if identity does not know it either. */
  async keyFor(kid: string): Promise<KeyObject | undefined> {
    const known = this.keys.get(kid);
    if (known) return known;
    if (this.refreshing) {
      await this.refreshing;
    } else if (Date.now() - this.lastAskedForKidAt >= this.config.auth.jwksRefreshMinIntervalMs) {
      this.lastAskedForKidAt = Date.now();
      this.refreshing = this.refresh().finally(() => (this.refreshing = undefined));
      await this.refreshing;
    } else if (this.keys.size === 0 && this.lastFailure) {
      // Identity was unreachable a moment ago: say so (503) rather than call the token invalid.
      throw this.lastFailure;
    }
    return this.keys.get(kid);
  }

  /** Only what is cached now: for callers that must not wait on identity (the rate limiter). */
  cachedKey(kid: string): KeyObject | undefined {
    return this.keys.get(kid);
  }

  private async refresh(): Promise<void> {
    try {
      const { keys } = await this.rpc.call(IDENTITY_RPC.jwks, {}, {}, { timeoutMs: this.config.rpc.timeoutMs });
      this.keys = await importVerificationKeys(keys);
      this.lastFailure = undefined;
    } catch (error) {
      this.lastFailure = error instanceof DomainError ? error : new DomainError('UNAVAILABLE', 'The signing keys cannot be read at the moment.');
      this.logger.warn(`JWKS refresh failed: ${this.lastFailure.detail}`);
      if (this.keys.size === 0) throw this.lastFailure;
    }
  }
}

/** ES256 signing keys with a `kid`; anything else in the set is ignored. */
async function importVerificationKeys(jwks: Array<Record<string, unknown>>): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks) {
    const { kid, kty, crv, use, alg } = jwk;
    if (typeof kid !== 'string' || kty !== 'EC' || crv !== 'P-256') continue;
    if ((use !== undefined && use !== 'sig') || (alg !== undefined && alg !== 'ES256')) continue;
    keys.set(kid, (await importJWK({ ...jwk, kty } as JWK, 'ES256')) as KeyObject);
  }
  return keys;
}
