import { Inject, Injectable } from '@nestjs/common';
import { AcceptInvitationResponse, InvitationView, Principal, TenantRole } from '@parking/contracts';
import { IdentityDatabase, Invitation, tenantOf } from '@parking/identity/data-access';
import { DomainError } from '@parking/problem-details';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { actingPrincipal, assertRoleWithin } from '../authorization/acting-principal';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { randomSecret, sha256Hex } from '../crypto/opaque-token';
import { PasswordHasher } from '../crypto/password-hasher';
import { Mailer } from '../mail/mailer';
import { SessionIssuer } from '../sessions/session-issuer';
import { isUniqueViolation } from '../sessions/unique-violation';
import { assertBelowLimit } from '../tenants/tenant-limits';
import { assertMayManageRole } from '../users/owner-rules';

function invitationView(row: Invitation): InvitationView {
  return { id: row.id, email: row.email, role: row.role as TenantRole, expiresAt: row.expiresAt.toISOString(), createdAt: row.createdAt.toISOString() };
}

function invalidInvitation(): DomainError {
  return new DomainError('INVALID_TOKEN', 'The invitation is not valid any more; ask for a new one.');
}

/** Invite by mail (single-use, expiring token), accept to create the user in the inviting tenant. */
@Injectable()
export class InvitationsUseCases {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly mailer: Mailer,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
  ) {}

  /**
   * Answers alike whether or not the address has an account elsewhere (nothing to enumerate):
   * the invitation is recorded either way, and the address gets the link, or, when it already
   * has an account in another tenant (a user belongs to one), a notice without a link. Someone
   * already in the inviter's own tenant is a 409: the inviter can list its users anyway.
   */
  async invite(principal: Principal, email: string, role: TenantRole): Promise<InvitationView> {
    const holder = await this.db.asSystem('sign-in', (tx) => tenantOf(tx, 'email', email));
    const token = `inv_${randomSecret()}`;
    const { view, tenantName } = await this.db.withTenant(principal.tenantId, async (tx) => {
      const acting = await actingPrincipal(tx, principal, 'users:write');
      assertMayManageRole(acting.role, role);
      assertRoleWithin(acting, role, 'grant');
      if (holder === principal.tenantId) {
        throw new DomainError('CONFLICT', 'This email already belongs to a user of this tenant.', undefined, { errors: [{ field: 'email', message: 'is already a user of this tenant' }] });
      }
      const now = new Date();
      // Users plus open invitations: an invitation holds a seat until it is accepted or expires.
      await assertBelowLimit(tx, principal.tenantId, 'users', async () => {
        const users = await tx.user.count();
        const open = await tx.invitation.count({ where: { acceptedAt: null, expiresAt: { gt: now }, email: { not: email } } });
        return users + open;
      });
      // A new invitation to the same address replaces the open one.
      await tx.invitation.deleteMany({ where: { email, acceptedAt: null } });
      const row = await tx.invitation.create({
        data: {
          id: randomUUID(),
          tenantId: principal.tenantId,
          email,
          role,
          tokenHash: sha256Hex(token),
          invitedBy: principal.actor,
          expiresAt: new Date(now.getTime() + this.config.tokens.invitationTtlSeconds * 1000),
        },
      });
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: principal.tenantId }, select: { name: true } });
      return { view: invitationView(row), tenantName: tenant.name };
    });
    if (holder) {
      // The link would fail anyway (one account per address): tell the address's owner instead.
      await this.mailer.send({
        to: email,
        subject: `You are invited to ${tenantName}`,
        text:
          `You have been invited to join ${tenantName} as ${role}, but this address already has an account on the platform, and an account belongs to one tenant.\n\n` +
          `Nothing has changed in your account. To join ${tenantName}, ask them to invite another address of yours. If you did not expect this, you can ignore this mail.\n`,
      });
    } else {
      await this.mailer.send({
        to: email,
        subject: `You are invited to ${tenantName}`,
        text: `You have been invited to join ${tenantName} as ${role}.\n\nAccept the invitation (valid until ${view.expiresAt}):\n${this.mailer.link('/accept-invitation', token)}\n`,
      });
    }
    return view;
  }

  async accept(input: { token: string; name: string; password: string }): Promise<AcceptInvitationResponse> {
    const hash = sha256Hex(input.token);
    const tenantId = await this.db.asSystem('token-lookup', (tx) => tenantOf(tx, 'invitation', hash));
    if (!tenantId) throw invalidInvitation();
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const { user, refreshToken } = await this.db.withTenant(tenantId, async (tx) => {
        await tx.$executeRawUnsafe('SELECT 1 FROM identity.invitations WHERE token_hash = $1 FOR UPDATE', hash);
        const invitation = await tx.invitation.findUnique({ where: { tokenHash: hash } });
        if (!invitation || invitation.acceptedAt || invitation.expiresAt <= new Date()) throw invalidInvitation();
        const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } });
        if (tenant.status !== 'active') throw new DomainError('TENANT_SUSPENDED', 'This tenant is suspended; the invitation cannot be accepted now.');
        await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
        const created = await tx.user.create({
          data: { id: randomUUID(), tenantId, email: invitation.email, name: input.name, passwordHash, role: invitation.role, lastLoginAt: new Date() },
        });
        return { user: created, refreshToken: await this.sessions.storeRefreshToken(tx, created) };
      });
      return await this.sessions.session(user, refreshToken);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'This email already has an account; sign in instead.', undefined, { cause: error });
      throw error;
    }
  }
}
