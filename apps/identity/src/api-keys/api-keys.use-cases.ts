import { Inject, Injectable } from '@nestjs/common';
import { ApiKeySecretResponse, ApiKeyView, Page, Permission, Principal } from '@parking/contracts';
import { IdentityDatabase } from '@parking/identity/data-access';
import { NotFoundError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { actingPrincipal } from '../authorization/acting-principal';
import { assertScopesWithin, insertApiKey } from './api-key-commands';
import { apiKeyView } from './api-key-view';

/** Create, list, revoke and rotate a tenant's API keys. */
@Injectable()
export class ApiKeysUseCases {
  constructor(@Inject(TENANT_DATABASE) private readonly db: IdentityDatabase) {}

  create(principal: Principal, input: { name: string; scopes: Permission[]; expiresAt: Date | null }): Promise<ApiKeySecretResponse> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const acting = await actingPrincipal(tx, principal, 'api-keys:write');
      assertScopesWithin(input.scopes, acting.permissions);
      return insertApiKey(tx, { tenantId: principal.tenantId, ...input, createdBy: principal.actor });
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

  revoke(principal: Principal, apiKeyId: string): Promise<ApiKeyView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'api-keys:write');
      const key = await tx.apiKey.findUnique({ where: { id: apiKeyId } });
      if (!key) throw new NotFoundError('API key', apiKeyId);
      if (key.revokedAt) return apiKeyView(key);
      return apiKeyView(await tx.apiKey.update({ where: { id: apiKeyId }, data: { revokedAt: new Date() } }));
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
      await tx.apiKey.update({ where: { id: apiKeyId }, data: { revokedAt: new Date() } });
      return insertApiKey(tx, { tenantId: principal.tenantId, name: key.name, scopes, expiresAt: key.expiresAt, createdBy: principal.actor });
    });
  }
}
