import { Inject, Injectable } from '@nestjs/common';
import { IdentityEvents, IntegrationSecretsResponse, IntegrationView, Page, Principal } from '@parking/contracts';
import { IdentityDatabase, IdentityTransaction } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { NotFoundError } from '@parking/problem-details';
import { sealedFor } from '@parking/secret-box';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { actingPrincipal } from '../authorization/acting-principal';
import { IntegrationSecretBox } from '../crypto/secret-box.provider';
import { prefixedSecret, randomSecret } from '../crypto/opaque-token';
import { assertBelowLimit } from '../tenants/tenant-limits';
import { integrationView, publishUpserted } from './integration-credentials';

/**
 * Webhook integrations: a bearer token (stored hashed) and an HMAC secret, shown once and stored
 * sealed under INTEGRATION_SECRETS_KEY, bound to the integration's id (the gateway opens it).
 */
@Injectable()
export class IntegrationsUseCases {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly outbox: OutboxWriter,
    private readonly box: IntegrationSecretBox,
  ) {}

  create(principal: Principal, name: string): Promise<IntegrationSecretsResponse> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'integrations:write');
      await assertBelowLimit(tx, principal.tenantId, 'integrations', () => tx.webhookIntegration.count());
      const token = prefixedSecret('whk');
      const hmacSecret = randomSecret();
      const id = randomUUID();
      const row = await tx.webhookIntegration.create({
        data: {
          id,
          tenantId: principal.tenantId,
          name,
          tokenPrefix: token.prefix,
          tokenHash: token.hash,
          hmacSecretSealed: this.box.seal(hmacSecret, sealedFor.webhookIntegration(id)),
        },
      });
      await publishUpserted(this.outbox, tx, row, await this.tenantActive(tx, principal.tenantId));
      return { integration: integrationView(row), token: token.token, hmacSecret };
    });
  }

  list(principal: Principal, page: { cursor?: string; limit: number }): Promise<Page<IntegrationView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'integrations:read');
      const offset = page.cursor ? Number.parseInt(page.cursor, 10) || 0 : 0;
      const rows = await tx.webhookIntegration.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: offset, take: page.limit + 1 });
      return { items: rows.slice(0, page.limit).map(integrationView), nextCursor: rows.length > page.limit ? String(offset + page.limit) : null };
    });
  }

  get(principal: Principal, id: string): Promise<IntegrationView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'integrations:read');
      const row = await tx.webhookIntegration.findUnique({ where: { id } });
      if (!row) throw new NotFoundError('Webhook integration', id);
      return integrationView(row);
    });
  }

  /** New token and secret; the previous pair keeps working for `graceSeconds`. */
  rotate(principal: Principal, id: string, graceSeconds: number): Promise<IntegrationSecretsResponse> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'integrations:write');
      const current = await tx.webhookIntegration.findUnique({ where: { id } });
      if (!current) throw new NotFoundError('Webhook integration', id);
      const token = prefixedSecret('whk');
      const hmacSecret = randomSecret();
      const now = new Date();
      const row = await tx.webhookIntegration.update({
        where: { id },
        data: {
          tokenPrefix: token.prefix,
          tokenHash: token.hash,
          hmacSecretSealed: this.box.seal(hmacSecret, sealedFor.webhookIntegration(id)),
          previousTokenPrefix: current.tokenPrefix,
          previousTokenHash: current.tokenHash,
          previousHmacSealed: current.hmacSecretSealed,
          previousValidUntil: new Date(now.getTime() + graceSeconds * 1000),
          rotatedAt: now,
          version: { increment: 1 },
        },
      });
      await publishUpserted(this.outbox, tx, row, await this.tenantActive(tx, principal.tenantId));
      return { integration: integrationView(row), token: token.token, hmacSecret };
    });
  }

  delete(principal: Principal, id: string): Promise<void> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'integrations:write');
      const deleted = await tx.webhookIntegration.deleteMany({ where: { id } });
      if (deleted.count === 0) throw new NotFoundError('Webhook integration', id);
      await this.outbox.append(tx, IdentityEvents.WebhookIntegrationDeletedV1, {
        tenantId: principal.tenantId,
        aggregateId: id,
        data: { id, tenantId: principal.tenantId, deletedAt: new Date().toISOString() },
      });
    });
  }

  private async tenantActive(tx: IdentityTransaction, tenantId: string): Promise<boolean> {
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
    return tenant?.status === 'active';
  }
}
