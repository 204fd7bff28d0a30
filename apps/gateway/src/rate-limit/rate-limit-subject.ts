import { Injectable } from '@nestjs/common';
import { jwtVerify, decodeProtectedHeader } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '@parking/contracts';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { JwksKeyStore } from '../auth/jwks-key-store';
import { presentedCredential } from '../auth/presented-credential';

/** Whose budget a request spends. Unverified credentials spend the address's budget. */
export type RateLimitSubject =
  | { kind: 'exempt' }
  | { kind: 'webhook' }
  | { kind: 'api-key'; id: string; tenantId: string }
  | { kind: 'user'; id: string; tenantId: string }
  | { kind: 'ip'; ip: string };

export interface RateLimitedRequest {
  ip: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

// Probes and scrapes are never limited.
const EXEMPT_PATHS = [/^\/health\//, /^\/metrics$/];
// ChirpStack posts everything from one address: these get a per-integration limit instead (see webhookLimitFor).
const WEBHOOK_PATHS = [/^\/api\/v1\/webhooks\//, /^\/api\/v1\/uplink$/, /^\/webhooks\/chirpstack\//];

/** Whether a path is rate-limited per caller at all (not a probe, scrape or webhook). */
export function isLimitedPath(url: string): boolean {
  const path = url.split('?', 1)[0];
  return !EXEMPT_PATHS.some((pattern) => pattern.test(path)) && !WEBHOOK_PATHS.some((pattern) => pattern.test(path));
}

/**
 * Decides, before the route runs, whose budget a request spends. A credential counts only
 * once verified: an access token against the JWKS already in memory (no call to identity
 * from the limiter), an API key through the same cache the guard uses. Anything else,
 * including a forged or expired credential, counts against the client's address, so
 * inventing tokens cannot buy fresh budgets.
 */
@Injectable()
export class RateLimitSubjects {
  private readonly resolved = new WeakMap<object, Promise<RateLimitSubject>>();

  constructor(
    private readonly keys: JwksKeyStore,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {}

  subjectOf(request: RateLimitedRequest): Promise<RateLimitSubject> {
    let subject = this.resolved.get(request);
    if (!subject) {
      subject = this.resolve(request);
      this.resolved.set(request, subject);
    }
    return subject;
  }

  private async resolve(request: RateLimitedRequest): Promise<RateLimitSubject> {
    const path = request.url.split('?', 1)[0];
    if (EXEMPT_PATHS.some((pattern) => pattern.test(path))) return { kind: 'exempt' };
    if (WEBHOOK_PATHS.some((pattern) => pattern.test(path))) return { kind: 'webhook' };
    const credential = presentedCredential(request.headers);
    const byAddress: RateLimitSubject = { kind: 'ip', ip: request.ip };
    switch (credential.kind) {
      case 'api-key': {
        const principal = await this.apiKeys.authenticate(credential.key).catch(() => undefined);
        return principal?.apiKeyId ? { kind: 'api-key', id: principal.apiKeyId, tenantId: principal.tenantId } : byAddress;
      }
      case 'access-token':
        return (await this.verifiedUser(credential.token)) ?? byAddress;
      case 'none':
        return byAddress;
    }
  }

  private async verifiedUser(token: string): Promise<RateLimitSubject | undefined> {
    try {
      const { kid } = decodeProtectedHeader(token);
      const key = typeof kid === 'string' ? this.keys.cachedKey(kid) : undefined;
      if (!key) return undefined;
      const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'], issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') return undefined;
      return { kind: 'user', id: payload.sub, tenantId: payload.tid };
    } catch {
      return undefined;
    }
  }
}
