import { Inject, Injectable } from '@nestjs/common';
import { AuthenticateApiKeyResponse, Permission } from '@parking/contracts';
import { IdentityDatabase, tenantOf } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { prefixOf, sameHash, sha256Hex } from '../crypto/opaque-token';

function refused(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'The API key is not valid.');
}

/**
 * Finds the key by its public prefix, compares the SHA-256 of the whole key in constant
 * time, and counts the use (last_used_at and one daily counter row per key). Answers the
 * key's expiry beside its principal, so the gateway caches it no longer than that.
 */
@Injectable()
export class AuthenticateApiKeyUseCase {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IdentityDatabase) {}

  async execute(presented: string): Promise<AuthenticateApiKeyResponse> {
    const prefix = prefixOf('pk_live', presented);
    if (!prefix) throw refused();
    const tenantId = await this.db.asSystem('token-lookup', (tx) => tenantOf(tx, 'api-key', prefix));
    if (!tenantId) throw refused();
    const answer: AuthenticateApiKeyResponse | null = await this.db.withTenant(tenantId, async (tx) => {
      const key = await tx.apiKey.findUnique({ where: { prefix } });
      const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
      const now = new Date();
      if (!key || !sameHash(key.secretHash, sha256Hex(presented))) return null;
      if (key.revokedAt || (key.expiresAt && key.expiresAt <= now) || tenant?.status !== 'active') return null;
      await tx.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
      await tx.$executeRawUnsafe(
        `INSERT INTO identity.api_key_usage_daily (tenant_id, api_key_id, day, requests) VALUES ($1::uuid, $2::uuid, current_date, 1)
         ON CONFLICT (api_key_id, day) DO UPDATE SET requests = identity.api_key_usage_daily.requests + 1`,
        tenantId,
        key.id,
      );
      return {
        principal: {
          kind: 'api-key' as const,
          tenantId,
          actor: `api-key:${key.id}`,
          apiKeyId: key.id,
          permissions: key.scopes as Permission[],
          isPlatformAdmin: false,
        },
        expiresAt: key.expiresAt?.toISOString() ?? null,
      };
    });
    if (!answer) throw refused();
    return answer;
  }
}
