import { Inject, Injectable } from '@nestjs/common';
import { ApiKeySecretResponse, ApiKeyView, IdentityEvents, Page, Permission, Principal } from '@parking/contracts';
import { ApiKey, IdentityDatabase, IdentityTransaction } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { NotFoundError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { actingPrincipal } from '../authorization/acting-principal';
import { assertScopesWithin, expiryWithin, insertApiKey } from './api-key-commands';
import { apiKeyView } from './api-key-view';

/** Create, list, revoke and rotate a tenant's API keys. */
@Injectable()
export class ApiKeysUseCases {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A key created by an API key carries at most its creator's scopes and expires no later than it. */
  create(principal: Principal, input: { name: string; scopes: Permission[]; expiresAt: Date | null }): Promise<ApiKeySecretResponse> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const acting = await actingPrincipal(tx, principal, 'api-keys:write');
      assertScopesWithin(input.scopes, acting.permissions);
      const expiresAt = expiryWithin(input.expiresAt, acting.expiresAt, 'asked');
      return insertApiKey(tx, { tenantId: principal.tenantId, ...input, expiresAt, createdBy: principal.actor });
    });
  }

  list(principal: Principal, page: { cursor?: string; limit: number }): Promise<Page<ApiKeyView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'api-keys:read');
      const offset = page.cursor ? Number.parseInt(page.cursor, 10) || 0 : 0;
      const keys = await tx.apiKey.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: offset, take: page.limit + 1 });
      const more = keys.length > page.limit;
      return { items: keys.slice(0, page.limit).map(apiKeyView), nextCursor: more ? String(offset + page.limit) : null };
    });
  }

  /** Idempotent; the first revocation is announced, so every gateway forgets the key at once. */
  revoke(principal: Principal, apiKeyId: string): Promise<ApiKeyView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'api-keys:write');
      const key = await tx.apiKey.findUnique({ where: { id: apiKeyId } });
      if (!key) throw new NotFoundError('API key', apiKeyId);
      if (key.revokedAt) return apiKeyView(key);
      return apiKeyView(await this.revokeIn(tx, key, 'revoked'));
    });
  }

  /** A new secret for the same name, scopes and expiry; the old key stops working at once. */
  rotate(principal: Principal, apiKeyId: string): Promise<ApiKeySecretResponse> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const acting = await actingPrincipal(tx, principal, 'api-keys:write');
      const key = await tx.apiKey.findUnique({ where: { id: apiKeyId } });
      if (!key || key.revokedAt) throw new NotFoundError('Active API key', apiKeyId);
      const scopes = key.scopes as Permission[];
      assertScopesWithin(scopes, acting.permissions);
      // The new key is the caller's creation: it may not outlive a calling key.
      const expiresAt = expiryWithin(key.expiresAt, acting.expiresAt, 'kept');
      await this.revokeIn(tx, key, 'rotated');
      return insertApiKey(tx, { tenantId: principal.tenantId, name: key.name, scopes, expiresAt, createdBy: principal.actor });
    });
  }

  private async revokeIn(tx: IdentityTransaction, key: ApiKey, reason: IdentityEvents.ApiKeyRevocationReason): Promise<ApiKey> {
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await this.outbox.append(tx, IdentityEvents.ApiKeyRevokedV1, {
      tenantId: key.tenantId,
      aggregateId: key.id,
      data: { apiKeyId: key.id, tenantId: key.tenantId, reason, revokedAt: revoked.revokedAt!.toISOString() },
    });
    return revoked;
  }
}
