/**
 * Registration and invitation do not tell whether an email has an account (docs/security.md, "Email
 * enumeration"). With email verification on (the default) registration answers the same for
 * every address and mails either a verification link or, to an address that has an account, a
 * notice; an invitation to such an address is answered like any other and its owner is told.
 * Against the compiled identity service (`npm run build` first), on real PostgreSQL and NATS.
 */
import { IDENTITY_RPC, InvitationView, LoginResponse, Principal, SessionResponse } from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { CALLER, IdentityHarness, leakedSecrets, newRegistration, startIdentity, userPrincipal } from './identity-harness';

const VERIFY = 'rpc.identity.v1.auth.verify-email';

describe('registration and invitation with email verification on (the default)', () => {
  let identity: IdentityHarness;
  const secrets: string[] = [];

  beforeAll(async () => {
    // The harness switches verification off for the other specs; this one runs the default.
    identity = await startIdentity({ EMAIL_VERIFICATION_REQUIRED: 'true' });
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  const mailsTo = (email: string) => identity.mails().filter((m) => m.to === email);
  const tenantCount = async () => Number((await identity.sql<{ n: string }>('SELECT count(*)::text AS n FROM identity.tenants'))[0].n);

  /** Registers, follows the mailed link, and answers the session. */
  async function registered(label: string): Promise<{ registration: ReturnType<typeof newRegistration>; session: SessionResponse }> {
    const registration = newRegistration(label);
    secrets.push(registration.password);
    await identity.send(IDENTITY_RPC.register, registration);
    const token = await identity.tokenMailedTo(registration.email);
    secrets.push(token);
    const session = await identity.send<SessionResponse>(VERIFY, { token, caller: CALLER });
    return { registration, session };
  }

  it('creates nothing until the mailed link is followed, then signs the owner in, once', async () => {
    const registration = newRegistration('verified');
    secrets.push(registration.password);
    const tenantsBefore = await tenantCount();
    const answer = await identity.send(IDENTITY_RPC.register, registration);
    expect(answer).toEqual({ accepted: true, verification: 'email-sent' });
    expect(await tenantCount()).toBe(tenantsBefore);
    // No account yet: the password is not accepted.
    expect(await identity.failure(IDENTITY_RPC.login, { email: registration.email, password: registration.password, caller: CALLER })).toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });

    const token = await identity.tokenMailedTo(registration.email);
    secrets.push(token);
    expect(mailsTo(registration.email).at(-1)?.text).toContain('/verify-email?token=');
    const [pending] = await identity.sql<{ token_hash: string; password_hash: string }>('SELECT token_hash, password_hash FROM identity.registrations WHERE email = $1', [
      registration.email,
    ]);
    expect(pending.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pending.password_hash).toMatch(/^\$argon2id\$/);

    const session = await identity.send<SessionResponse>(VERIFY, { token, caller: CALLER });
    secrets.push(session.refreshToken, session.accessToken);
    expect(session).toMatchObject({ tokenType: 'Bearer', refreshToken: expect.stringMatching(/^rt_/) });
    expect(await tenantCount()).toBe(tenantsBefore + 1);
    expect(await identity.sql('SELECT 1 FROM identity.registrations WHERE email = $1', [registration.email])).toEqual([]);
    await expect(identity.send<LoginResponse>(IDENTITY_RPC.login, { email: registration.email, password: registration.password, caller: CALLER })).resolves.toMatchObject({
      userId: session.userId,
    });
    await expectEventually(() => expect(identity.events('identity.tenant.created.v1').filter((e) => e.tenantid === session.tenantId)).toHaveLength(1));

    expect(await identity.failure(VERIFY, { token, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('answers a registration with a taken email exactly like a new one, creates nothing, and mails the owner a notice', async () => {
    const { registration: existing } = await registered('owner');
    const tenantsBefore = await tenantCount();
    const mailsBefore = mailsTo(existing.email).length;

    const fresh = await identity.send(IDENTITY_RPC.register, newRegistration('fresh'));
    const taken = await identity.send(IDENTITY_RPC.register, { ...newRegistration('squatter'), email: existing.email.toUpperCase() });
    expect(taken).toEqual(fresh);

    const notice = await expectEventually(() => {
      const mails = mailsTo(existing.email);
      expect(mails.length).toBe(mailsBefore + 1);
      return mails.at(-1)!;
    });
    expect(notice.subject).toMatch(/already have an account/i);
    expect(notice.text).not.toMatch(/token=/);
    expect(await tenantCount()).toBe(tenantsBefore);
    expect(await identity.sql('SELECT 1 FROM identity.registrations WHERE lower(email) = lower($1)', [existing.email])).toEqual([]);
    // The account itself is untouched: its own password still signs in.
    await expect(identity.send(IDENTITY_RPC.login, { email: existing.email, password: existing.password, caller: CALLER })).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('refuses a slug a tenant already has, by name (slugs are public), whatever the email', async () => {
    const { registration: existing } = await registered('sluggish');
    const sameSlug = await identity.failure(IDENTITY_RPC.register, { ...newRegistration('copycat'), tenantSlug: existing.tenantSlug });
    expect(sameSlug).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'tenantSlug', message: expect.any(String) }] });
    const both = await identity.failure(IDENTITY_RPC.register, { ...newRegistration('copycat'), email: existing.email, tenantSlug: existing.tenantSlug });
    expect(both).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'tenantSlug', message: expect.any(String) }] });
    expect(JSON.stringify(both)).not.toContain('email');
  });

  it('tells the one who follows the link when the slug was taken meanwhile, and refuses an expired link', async () => {
    const first = newRegistration('racer');
    const second = { ...newRegistration('racer'), tenantSlug: first.tenantSlug };
    await identity.send(IDENTITY_RPC.register, first);
    await identity.send(IDENTITY_RPC.register, second);
    const firstToken = await identity.tokenMailedTo(first.email);
    const secondToken = await identity.tokenMailedTo(second.email);
    await identity.send<SessionResponse>(VERIFY, { token: firstToken, caller: CALLER });
    expect(await identity.failure(VERIFY, { token: secondToken, caller: CALLER })).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'tenantSlug', message: expect.any(String) }] });

    const late = newRegistration('late');
    await identity.send(IDENTITY_RPC.register, late);
    const lateToken = await identity.tokenMailedTo(late.email);
    await identity.sql("UPDATE identity.registrations SET expires_at = now() - interval '1 second' WHERE email = $1", [late.email]);
    expect(await identity.failure(VERIFY, { token: lateToken, caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(await identity.failure(VERIFY, { token: 'reg_not-a-token', caller: CALLER })).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(await identity.failure(VERIFY, { caller: CALLER })).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([expect.objectContaining({ field: 'token' })]) });
  });

  it('answers an invitation to an email with an account like any other, and mails its owner a notice instead of a link', async () => {
    const { session } = await registered('inviter');
    const owner: Principal = userPrincipal(session, 'owner');
    const { registration: elsewhere } = await registered('elsewhere');
    const mailsBefore = mailsTo(elsewhere.email).length;

    const fresh = await identity.send<InvitationView>(IDENTITY_RPC.inviteUser, { principal: owner, email: `new-${Date.now()}@example.test`, role: 'viewer' });
    const taken = await identity.send<InvitationView>(IDENTITY_RPC.inviteUser, { principal: owner, email: elsewhere.email, role: 'viewer' });
    expect(Object.keys(taken).sort()).toEqual(Object.keys(fresh).sort());
    expect(taken).toMatchObject({ email: elsewhere.email, role: 'viewer' });

    const notice = await expectEventually(() => {
      const mails = mailsTo(elsewhere.email);
      expect(mails.length).toBe(mailsBefore + 1);
      return mails.at(-1)!;
    });
    expect(notice.text).not.toMatch(/token=/);
    expect(notice.text).toMatch(/already has an account/);

    // Inviting someone who is already in the inviter's own tenant says so: the inviter can list its users anyway.
    const [{ email: ownEmail }] = await identity.sql<{ email: string }>('SELECT email FROM identity.users WHERE id = $1', [session.userId]);
    expect(await identity.failure(IDENTITY_RPC.inviteUser, { principal: owner, email: ownEmail, role: 'viewer' })).toMatchObject({ code: 'CONFLICT' });
  });

  it('writes no password or mailed token into its logs', () => {
    expect(secrets.length).toBeGreaterThan(4);
    expect(leakedSecrets(identity.logs(), secrets)).toEqual([]);
  });
});
