import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IDENTITY_RPC, isWellFormedApiKey, type Principal } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import type { GatewayConfig } from '../config';
import { RefusalCache } from '../http-edge/refusal-cache';

const MAX_CACHED_KEYS = 10_000;
/** Revocations remembered, so an answer identity gave just before one is not trusted after it. */
const REVOCATION_MEMORY_MS = 10 * 60_000;
const MAX_REMEMBERED_REVOCATIONS = 100_000;

/** A key identity accepted, with the key's own expiry (ms since the epoch) when it has one. */
export interface VerifiedApiKey {
  principal: Principal;
  keyExpiresAt?: number;
}

interface CachedPrincipal extends VerifiedApiKey {
  expiresAt: number;
}

/**
 * Verifies an API key through identity and remembers the answer for a short while, keyed by
 * the SHA-256 of the key so no secret sits in memory. The answer is trusted for at most
 * `apiKeyCacheTtlMs` and never past the key's own expiry.
 *
 * Unauthenticated load stays here: a key not shaped as identity issues them is refused without
 * asking, and a key identity refused is refused again without asking for `apiKeyRefusalCacheMs`
 * (keys are random, so no key can exist a moment after identity did not know it).
 *
 * Revocation is immediate: ApiKeyRevocationFeed follows identity's `identity.api_key.revoked.v1`
 * and calls `forget`, which drops the key here, and an answer still in flight for it is refused.
 * While that feed does not follow identity's stream (at boot, or interrupted), nothing is cached:
 * every request asks identity, so a revocation the feed could miss is still seen.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly digestsOfKey = new Map<string, Set<string>>();
  private readonly inFlight = new Map<string, Promise<VerifiedApiKey>>();
  private readonly revoked = new Map<string, number>();
  private readonly refused: RefusalCache;
  /** True unless a revocation feed says otherwise (a process without one behaves as before: TTL only). */
  private caching = true;

  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {
    this.refused = new RefusalCache(config.auth.apiKeyRefusalCacheMs);
  }

  async authenticate(key: string): Promise<Principal> {
    return (await this.verify(key)).principal;
  }

  /** As `authenticate`, with the key's expiry (what holds access beyond the request, a live stream, ends there). */
  async verify(key: string): Promise<VerifiedApiKey> {
    if (!isWellFormedApiKey(key)) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid: keys look like pk_live_<8 letters or digits>_<secret>, as created.');
    const digest = digestOf(key);
    const cached = this.cache.get(digest);
    if (cached && cached.expiresAt > Date.now()) return { principal: cached.principal, keyExpiresAt: cached.keyExpiresAt };
    this.drop(digest);
    if (this.refused.has(digest)) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid.');

    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.askIdentity(digest, key).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  /** Whether `authenticate(key)` would answer without asking identity (a cached answer, a malformed or recently refused key). */
  answersAlone(key: string): boolean {
    if (!isWellFormedApiKey(key)) return true;
    const digest = digestOf(key);
    const cached = this.cache.get(digest);
    return (cached !== undefined && cached.expiresAt > Date.now()) || this.refused.has(digest);
  }

  /** Identity revoked (or rotated) the key: it stops working here now. */
  forget(apiKeyId: string): void {
    this.revoked.set(apiKeyId, Date.now());
    if (this.revoked.size > MAX_REMEMBERED_REVOCATIONS) this.pruneRevocations();
    for (const digest of this.digestsOfKey.get(apiKeyId) ?? []) this.cache.delete(digest);
    this.digestsOfKey.delete(apiKeyId);
  }

  /** Whether revocations reach this process now; while they do not, nothing is cached, and what was is dropped. */
  followingRevocations(following: boolean): void {
    this.caching = following;
    if (!following) {
      this.cache.clear();
      this.digestsOfKey.clear();
    }
  }

  private async askIdentity(digest: string, key: string): Promise<VerifiedApiKey> {
    const { principal, expiresAt } = await this.rpc.call(IDENTITY_RPC.authenticateApiKey, { key }, {}, { timeoutMs: this.config.rpc.timeoutMs }).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') this.refused.add(digest);
      throw error;
    });
    if (principal?.kind !== 'api-key' || !Array.isArray(principal.permissions) || typeof principal.apiKeyId !== 'string') {
      throw new DomainError('INTERNAL', 'Identity answered an API key check with an unreadable principal.');
    }
    // Revoked while identity was answering: the answer is already out of date.
    if (this.revoked.has(principal.apiKeyId)) throw new DomainError('UNAUTHENTICATED', 'The API key is not valid.');
    const parsedExpiry = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
    const verified: VerifiedApiKey = Number.isNaN(parsedExpiry) ? { principal } : { principal, keyExpiresAt: parsedExpiry };
    const ttlMs = this.config.auth.apiKeyCacheTtlMs;
    if (this.caching && ttlMs > 0) this.remember(digest, verified, Math.min(Date.now() + ttlMs, verified.keyExpiresAt ?? Number.POSITIVE_INFINITY));
    return verified;
  }

  private remember(digest: string, verified: VerifiedApiKey, expiresAt: number): void {
    const { principal } = verified;
    // Map keeps insertion order: dropping the first entry drops the oldest.
    if (this.cache.size >= MAX_CACHED_KEYS) this.drop(this.cache.keys().next().value as string);
    this.cache.set(digest, { ...verified, expiresAt });
    const apiKeyId = principal.apiKeyId as string;
    this.digestsOfKey.set(apiKeyId, (this.digestsOfKey.get(apiKeyId) ?? new Set()).add(digest));
  }

  private drop(digest: string): void {
    const entry = this.cache.get(digest);
    if (!entry) return;
    this.cache.delete(digest);
    const digests = this.digestsOfKey.get(entry.principal.apiKeyId as string);
    digests?.delete(digest);
    if (digests?.size === 0) this.digestsOfKey.delete(entry.principal.apiKeyId as string);
  }

  private pruneRevocations(): void {
    const before = Date.now() - REVOCATION_MEMORY_MS;
    for (const [id, at] of this.revoked) if (at < before) this.revoked.delete(id);
    // Still too many (a flood of revocations): keep the newest.
    while (this.revoked.size > MAX_REMEMBERED_REVOCATIONS) this.revoked.delete(this.revoked.keys().next().value as string);
  }
}

function digestOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
