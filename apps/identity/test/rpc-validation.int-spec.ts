/**
 * Identity's RPCs check their payload against the contract's class before any handler runs,
 * against the compiled identity service (`npm run build` first): a payload that fails its
 * class changes nothing.
 */
import { IDENTITY_RPC, InvitationView, Principal, RegisterResponse, TenantUserView } from '@parking/contracts';
import { IdentityHarness, newRegistration, startIdentity, userPrincipal } from './identity-harness';

describe('identity RPCs: the payload class is checked before any handler runs', () => {
  let identity: IdentityHarness;
  let owner: Principal;
  let session: RegisterResponse;

  beforeAll(async () => {
    identity = await startIdentity();
    session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('validated'));
    owner = userPrincipal(session, 'owner');
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  /** The newest outbox row now; rows written later have a larger seq. */
  const lastOutboxSeq = async () => (await identity.sql<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM identity.outbox'))[0].seq;
  const outboxRowsAfter = (seq: string) => identity.sql('SELECT seq FROM identity.outbox WHERE tenant_id = $1 AND seq > $2::bigint', [owner.tenantId, seq]);
  const byField = (errors: Array<{ field: string; message: string }> = []) => [...errors].sort((a, b) => a.field.localeCompare(b.field));
  const invitations = () => identity.sql<{ email: string }>('SELECT email FROM identity.invitations WHERE tenant_id = $1', [owner.tenantId]);

  it('refuses an invitation with a bad email and an unknown field, naming both: no invitation, no event, no mail', async () => {
    const before = await lastOutboxSeq();
    const mailsBefore = identity.mails().length;
    const failure = await identity.failure(IDENTITY_RPC.inviteUser, { principal: owner, email: 'grace at example', role: 'viewer', tenantId: owner.tenantId });
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(byField(failure.errors)).toEqual([
      { field: 'email', message: 'email must be an email' },
      { field: 'tenantId', message: 'property tenantId should not exist' },
    ]);
    expect(await invitations()).toEqual([]);
    expect(await outboxRowsAfter(before)).toEqual([]);
    expect(identity.mails()).toHaveLength(mailsBefore);

    // The caller is checked before the payload: without a principal in the proof, a 401 whatever the payload says.
    const anonymous = await identity.failure(IDENTITY_RPC.inviteUser, { email: 'grace at example', role: 'viewer' });
    expect(anonymous).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'This request needs an authenticated principal.' });

    // The control: the same invitation with a valid email (any case) is written and mailed.
    const invited = await identity.send<InvitationView>(IDENTITY_RPC.inviteUser, { principal: owner, email: 'Grace@Example.test', role: 'viewer' });
    expect(invited).toMatchObject({ email: 'grace@example.test', role: 'viewer' });
    expect(await invitations()).toEqual([{ email: 'grace@example.test' }]);
  });

  it('refuses a role change with a non-UUID userId and an unknown field before reading the user: the roles stay as they were', async () => {
    const before = await lastOutboxSeq();
    const failure = await identity.failure(IDENTITY_RPC.changeRole, { principal: owner, userId: 'the-owner', role: 'viewer', isPlatformAdmin: true });
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(byField(failure.errors)).toEqual([
      { field: 'isPlatformAdmin', message: 'property isPlatformAdmin should not exist' },
      { field: 'userId', message: 'userId must be a UUID' },
    ]);
    expect(failure.detail).toBe('The request has 2 invalid fields: isPlatformAdmin, userId.');

    const users = await identity.send<{ items: TenantUserView[] }>(IDENTITY_RPC.listUsers, { principal: owner });
    expect(users.items.map((user) => ({ id: user.id, role: user.role }))).toEqual([{ id: session.userId, role: 'owner' }]);
    const [stored] = await identity.sql<{ is_platform_admin: boolean }>('SELECT is_platform_admin FROM identity.users WHERE id = $1', [session.userId]);
    expect(stored.is_platform_admin).toBe(false);
    expect(await outboxRowsAfter(before)).toEqual([]);
  });
});
