import { Inject, Injectable } from '@nestjs/common';
import { IdentityEvents, Page, Principal, TenantRole, TenantUserView } from '@parking/contracts';
import { IdentityDatabase } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { NotFoundError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { actingPrincipal, assertRoleWithin } from '../authorization/acting-principal';
import { assertMayManageRole, assertNotLastOwner } from './owner-rules';
import { tenantUserView } from './tenant-user-view';

@Injectable()
export class UsersUseCases {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  list(principal: Principal, page: { cursor?: string; limit: number }): Promise<Page<TenantUserView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await actingPrincipal(tx, principal, 'users:read');
      const offset = page.cursor ? Number.parseInt(page.cursor, 10) || 0 : 0;
      const users = await tx.user.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: offset, take: page.limit + 1 });
      return { items: users.slice(0, page.limit).map(tenantUserView), nextCursor: users.length > page.limit ? String(offset + page.limit) : null };
    });
  }

  changeRole(principal: Principal, userId: string, role: TenantRole): Promise<TenantUserView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const acting = await actingPrincipal(tx, principal, 'users:write');
      const user = await tx.user.findUnique({ where: { id: userId } });
      if (!user) throw new NotFoundError('User', userId);
      assertMayManageRole(acting.role, user.role as TenantRole, role);
      // Nobody promotes beyond what they hold, nor manages someone who holds more (an API key's scopes, a user's role).
      assertRoleWithin(acting, role, 'grant');
      assertRoleWithin(acting, user.role as TenantRole, 'manage');
      if (user.role === 'owner' && role !== 'owner') await assertNotLastOwner(tx, userId);
      return tenantUserView(await tx.user.update({ where: { id: userId }, data: { role } }));
    });
  }

  /**
   * Deletes the user; its refresh tokens go with it (cascade), so its sessions end. The removal
   * is announced, so every gateway ends the user's live streams at once.
   */
  remove(principal: Principal, userId: string): Promise<void> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const acting = await actingPrincipal(tx, principal, 'users:write');
      const user = await tx.user.findUnique({ where: { id: userId } });
      if (!user) throw new NotFoundError('User', userId);
      assertMayManageRole(acting.role, user.role as TenantRole);
      assertRoleWithin(acting, user.role as TenantRole, 'manage');
      if (user.role === 'owner') await assertNotLastOwner(tx, userId);
      await tx.user.delete({ where: { id: userId } });
      await this.outbox.append(tx, IdentityEvents.UserRemovedV1, {
        tenantId: principal.tenantId,
        aggregateId: userId,
        data: { tenantId: principal.tenantId, userId, removedAt: new Date().toISOString() },
      });
    });
  }
}
