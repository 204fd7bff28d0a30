/** Invitations, roles, removal and password reset against the compiled identity service (`npm run build` first). */
import { IDENTITY_RPC, InvitationView, LoginResponse, Principal, RegisterResponse, TenantUserView } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { CALLER, IdentityHarness, leakedSecrets, newRegistration, startIdentity, userPrincipal } from './identity-harness';

describe('identity users, invitations and password reset', () => {
  let identity: IdentityHarness;
  const secrets: string[] = [];

  beforeAll(async () => {
    identity = await startIdentity();
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  async function newTenant(label: string): Promise<{ owner: Principal; session: RegisterResponse; password: string }> {
    const registration = newRegistration(label);
    secrets.push(registration.password);
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    return { owner: userPrincipal(session, 'owner'), session, password: registration.password };
  }

  it('invites by mail; the link token creates the user in the tenant once, with the invited role', async () => {
    const { owner } = await newTenant('inviter');
    const email = `operator-${Date.now()}@example.test`;
    const invitation = await identity.send<InvitationView>(IDENTITY_RPC.inviteUser, { principal: owner, email, role: 'operator' });
    expect(invitation).toMatchObject({ email, role: 'operator' });

    const token = await identity.tokenMailedTo(email);
    secrets.push(token);
    const mail = identity.mails().find((m) => m.to === email);
    expect(mail?.subject).toMatch(/invited/);
    expect(mail?.text).toContain('/accept-invitation?token=');
    const [stored] = await identity.sql<{ token_hash: string }>('SELECT token_hash FROM identity.invitations WHERE id = $1', [invitation.id]);
    expect(stored.token_hash).not.toContain(token);

    const password = 'operator password 123';
    secrets.push(password);
    const session = await identity.send<LoginResponse>(IDENTITY_RPC.acceptInvitation, { token, name: 'Olga Operator', password, caller: CALLER });
    expect(session.tenantId).toBe(owner.tenantId);
    const users = await identity.send<{ items: TenantUserView[] }>(IDENTITY_RPC.listUsers, { principal: owner });
    expect(users.items.find((u) => u.email === email)).toMatchObject({ name: 'Olga Operator', role: 'operator' });

    expect(await identity.failure(IDENTITY_RPC.acceptInvitation, { token, name: 'Again', password, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(identity.send(IDENTITY_RPC.login, { email, password, caller: CALLER })).resolves.toMatchObject({ userId: session.userId });
  });

  it('refuses an expired invitation', async () => {
    const { owner } = await newTenant('expiring');
    const email = `late-${Date.now()}@example.test`;
    const invitation = await identity.send<InvitationView>(IDENTITY_RPC.inviteUser, { principal: owner, email, role: 'viewer' });
    const token = await identity.tokenMailedTo(email);
    await identity.sql("UPDATE identity.invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [invitation.id]);
    expect(await identity.failure(IDENTITY_RPC.acceptInvitation, { token, name: 'Late', password: 'late password 1234', caller: CALLER })).toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });

  it('counts open invitations against the users limit and names the limit', async () => {
    const { owner } = await newTenant('crowded');
    // The free plan allows 3 users: the owner plus two invitations fill it.
    await identity.send(IDENTITY_RPC.inviteUser, { principal: owner, email: `a-${Date.now()}@example.test`, role: 'viewer' });
    await identity.send(IDENTITY_RPC.inviteUser, { principal: owner, email: `b-${Date.now()}@example.test`, role: 'viewer' });
    const failure = await identity.failure(IDENTITY_RPC.inviteUser, { principal: owner, email: `c-${Date.now()}@example.test`, role: 'viewer' });
    expect(failure).toMatchObject({ code: 'LIMIT_EXCEEDED', errors: [{ field: 'limits.users', message: 'at most 3' }] });
    expect(failure.detail).toMatch(/allows 3 users/);
  });

  it('never removes or demotes the last owner, and lets only owners touch the owner role', async () => {
    const { owner, session } = await newTenant('lonely');
    expect(await identity.failure(IDENTITY_RPC.removeUser, { principal: owner, userId: session.userId })).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('last owner') });
    expect(await identity.failure(IDENTITY_RPC.changeRole, { principal: owner, userId: session.userId, role: 'admin' })).toMatchObject({ code: 'CONFLICT' });

    const email = `second-${Date.now()}@example.test`;
    await identity.send(IDENTITY_RPC.inviteUser, { principal: owner, email, role: 'admin' });
    const second = await identity.send<LoginResponse>(IDENTITY_RPC.acceptInvitation, {
      token: await identity.tokenMailedTo(email),
      name: 'Ada Admin',
      password: 'admin password 1234',
      caller: CALLER,
    });
    const admin = userPrincipal(second, 'admin');
    expect(await identity.failure(IDENTITY_RPC.changeRole, { principal: admin, userId: session.userId, role: 'viewer' })).toMatchObject({ code: 'FORBIDDEN' });

    // With a second owner, the first may step down.
    await identity.send(IDENTITY_RPC.changeRole, { principal: owner, userId: second.userId, role: 'owner' });
    await expect(identity.send(IDENTITY_RPC.changeRole, { principal: owner, userId: session.userId, role: 'admin' })).resolves.toMatchObject({ role: 'admin' });
    const secondOwner = userPrincipal(second, 'owner');
    expect(await identity.failure(IDENTITY_RPC.removeUser, { principal: secondOwner, userId: second.userId })).toMatchObject({ code: 'CONFLICT' });
    await expect(identity.send(IDENTITY_RPC.removeUser, { principal: secondOwner, userId: session.userId })).resolves.toEqual({ ok: true });
    expect(await identity.failure(IDENTITY_RPC.refresh, { refreshToken: session.refreshToken, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('announces a removal as identity.user.removed.v1, with the removal; a refused removal announces nothing', async () => {
    const { owner, session } = await newTenant('departing');
    const email = `leaver-${Date.now()}@example.test`;
    await identity.send(IDENTITY_RPC.inviteUser, { principal: owner, email, role: 'viewer' });
    const leaver = await identity.send<LoginResponse>(IDENTITY_RPC.acceptInvitation, {
      token: await identity.tokenMailedTo(email),
      name: 'Lea Leaver',
      password: 'leaver password 1234',
      caller: CALLER,
    });
    // Refused first (the last owner stays): the outbox keeps order, so an event for it would come before the other.
    expect(await identity.failure(IDENTITY_RPC.removeUser, { principal: owner, userId: session.userId })).toMatchObject({ code: 'CONFLICT' });
    await expect(identity.send(IDENTITY_RPC.removeUser, { principal: owner, userId: leaver.userId })).resolves.toEqual({ ok: true });

    const announced = await expectEventually(() => {
      const events = identity.events('identity.user.removed.v1').filter((e) => e.tenantid === owner.tenantId);
      expect(events).toHaveLength(1);
      return events[0];
    });
    expect(announced).toMatchObject({ subject: leaver.userId, data: { tenantId: owner.tenantId, userId: leaver.userId, removedAt: expect.any(String) } });
    expect(Date.parse(announced.data.removedAt as string)).toBeLessThanOrEqual(Date.now());
  });

  it('resets a password through a single-use mailed token and ends the old sessions', async () => {
    const { session } = await newTenant('forgetful');
    const [{ email }] = await identity.sql<{ email: string }>('SELECT email FROM identity.users WHERE id = $1', [session.userId]);
    await expect(identity.send(IDENTITY_RPC.requestPasswordReset, { email, caller: CALLER })).resolves.toEqual({ accepted: true });
    const token = await identity.tokenMailedTo(email);
    secrets.push(token);
    expect(identity.mails().find((m) => m.to === email)?.text).toContain('/reset-password?token=');

    const newPassword = 'a brand new password';
    secrets.push(newPassword);
    await expect(identity.send(IDENTITY_RPC.confirmPasswordReset, { token, newPassword, caller: CALLER })).resolves.toEqual({ ok: true });
    expect(await identity.failure(IDENTITY_RPC.confirmPasswordReset, { token, newPassword: 'yet another password', caller: CALLER })).toMatchObject({
      code: 'INVALID_TOKEN',
    });
    expect(await identity.failure(IDENTITY_RPC.refresh, { refreshToken: session.refreshToken, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(identity.send(IDENTITY_RPC.login, { email, password: newPassword, caller: CALLER })).resolves.toMatchObject({ userId: session.userId });
  });

  it('answers a reset request for an unknown email exactly like a known one, and mails nobody', async () => {
    const before = identity.mails().length;
    const email = `nobody-${Date.now()}@example.test`;
    await expect(identity.send(IDENTITY_RPC.requestPasswordReset, { email, caller: CALLER })).resolves.toEqual({ accepted: true });
    expect(identity.mails().filter((m) => m.to === email)).toEqual([]);
    expect(identity.mails().length).toBe(before);
  });

  it('writes no password or mailed token into its logs', () => {
    expect(secrets.length).toBeGreaterThan(5);
    expect(leakedSecrets(identity.logs(), secrets)).toEqual([]);
  });
});
