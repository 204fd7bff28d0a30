import { Inject, Injectable } from '@nestjs/common';
import { AuditEntry, IdentityEvents, Page, PlanId, Principal, SigningKeyRotationView, TenantAdminView, UsageLimits } from '@parking/contracts';
import { IdentityDatabase, IdentityTransaction, Prisma, Tenant } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { NotFoundError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { publishUpserted } from '../integrations/integration-credentials';
import { publishLimits } from '../tenants/tenant-limits';
import { SigningKeys } from '../tokens/signing-keys';
import { asPlatformAdmin } from './platform-admin-session';
import { tenantAdminView } from './tenant-admin-view';

/** Platform administration; every call is audited with who, why, what and to what. */
@Injectable()
export class AdminUseCases {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly outbox: OutboxWriter,
    private readonly signingKeys: SigningKeys,
  ) {}

  /** A new access-token signing key at once (audited with its kid); `revokePrevious` drops the old ones from the JWKS too. */
  rotateSigningKey(principal: Principal, reason: string, revokePrevious: boolean): Promise<SigningKeyRotationView> {
    const kid = randomUUID();
    const action = revokePrevious ? 'signing-key.rotate-and-revoke' : 'signing-key.rotate';
    return asPlatformAdmin(this.db, principal, reason, { action, target: `signing-key:${kid}` }, (tx) => this.signingKeys.rotate(tx, kid, { revokePrevious }));
  }

  listTenants(principal: Principal, reason: string, page: { cursor?: string; limit: number }): Promise<Page<TenantAdminView>> {
    return asPlatformAdmin(this.db, principal, reason, { action: 'tenant.list', target: null }, async (tx) => {
      const offset = page.cursor ? Number.parseInt(page.cursor, 10) || 0 : 0;
      const tenants = await tx.tenant.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: offset, take: page.limit + 1 });
      const shown = tenants.slice(0, page.limit);
      const counts = await tx.user.groupBy({ by: ['tenantId'], where: { tenantId: { in: shown.map((t) => t.id) } }, _count: { _all: true } });
      const byTenant = new Map(counts.map((c) => [c.tenantId, c._count._all]));
      return { items: shown.map((t) => tenantAdminView(t, byTenant.get(t.id) ?? 0)), nextCursor: tenants.length > page.limit ? String(offset + page.limit) : null };
    });
  }

  /** Suspends (or reinstates) a tenant; its integrations are announced disabled (or enabled) to the gateway. */
  suspend(principal: Principal, reason: string, tenantId: string, suspended: boolean): Promise<TenantAdminView> {
    const action = suspended ? 'tenant.suspend' : 'tenant.reinstate';
    return asPlatformAdmin(this.db, principal, reason, { action, target: `tenant:${tenantId}` }, async (tx) => {
      await this.find(tx, tenantId);
      const now = new Date();
      const tenant = await tx.tenant.update({ where: { id: tenantId }, data: { status: suspended ? 'suspended' : 'active', suspendedAt: suspended ? now : null } });
      if (suspended) {
        await this.outbox.append(tx, IdentityEvents.TenantSuspendedV1, {
          tenantId,
          aggregateId: tenantId,
          data: { tenantId, reason: reason.slice(0, 500), suspendedAt: now.toISOString() },
        });
      }
      for (const integration of await tx.webhookIntegration.findMany({ where: { tenantId } })) {
        await publishUpserted(this.outbox, tx, integration, !suspended);
      }
      return this.view(tx, tenant);
    });
  }

  setPlan(principal: Principal, reason: string, tenantId: string, plan: PlanId): Promise<TenantAdminView> {
    return this.changeLimits(principal, reason, tenantId, 'tenant.set-plan', () => ({ plan }));
  }

  setLimits(principal: Principal, reason: string, tenantId: string, limits: Partial<UsageLimits>, replace: boolean): Promise<TenantAdminView> {
    return this.changeLimits(principal, reason, tenantId, 'tenant.set-limits', (tenant) => ({
      limitOverrides: { ...(replace ? {} : (tenant.limitOverrides as object)), ...limits } as Prisma.InputJsonValue,
    }));
  }

  setFeatures(principal: Principal, reason: string, tenantId: string, features: Record<string, boolean>): Promise<TenantAdminView> {
    return this.changeLimits(principal, reason, tenantId, 'tenant.set-features', (tenant) => ({
      features: { ...(tenant.features as object), ...features } as Prisma.InputJsonValue,
    }));
  }

  listAudit(principal: Principal, reason: string, page: { cursor?: string; limit: number }, target?: string): Promise<Page<AuditEntry>> {
    return asPlatformAdmin(this.db, principal, reason, { action: 'audit.list', target: target ?? null }, async (tx) => {
      const before = page.cursor && /^\d+$/.test(page.cursor) ? BigInt(page.cursor) : undefined;
      const rows = await tx.platformAudit.findMany({
        where: { ...(before !== undefined ? { id: { lt: before } } : {}), ...(target ? { target } : {}) },
        orderBy: { id: 'desc' },
        take: page.limit + 1,
      });
      const items = rows.slice(0, page.limit).map((row) => ({
        id: row.id.toString(),
        actor: row.actor,
        reason: row.reason,
        action: row.action,
        target: row.target,
        at: row.at.toISOString(),
      }));
      return { items, nextCursor: rows.length > page.limit ? items[items.length - 1].id : null };
    });
  }

  private changeLimits(
    principal: Principal,
    reason: string,
    tenantId: string,
    action: string,
    change: (tenant: Tenant) => Prisma.TenantUpdateInput,
  ): Promise<TenantAdminView> {
    return asPlatformAdmin(this.db, principal, reason, { action, target: `tenant:${tenantId}` }, async (tx) => {
      const current = await this.find(tx, tenantId);
      const tenant = await tx.tenant.update({ where: { id: tenantId }, data: { ...change(current), limitsVersion: { increment: 1 } } });
      await publishLimits(this.outbox, tx, tenant);
      return this.view(tx, tenant);
    });
  }

  private async find(tx: IdentityTransaction, tenantId: string): Promise<Tenant> {
    const tenant = await tx.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw new NotFoundError('Tenant', tenantId);
    return tenant;
  }

  private async view(tx: IdentityTransaction, tenant: Tenant): Promise<TenantAdminView> {
    return tenantAdminView(tenant, await tx.user.count({ where: { tenantId: tenant.id } }));
  }
}
