/** Platform administration and start-up seeds against the compiled identity service (`npm run build` first). */
import {
  AdminListAuditResponse,
  AdminListTenantsResponse,
  ApiKeySecretResponse,
  IDENTITY_RPC,
  LoginResponse,
  MeResponse,
  Principal,
  RegisterResponse,
  TenantAdminView,
} from '@parking/contracts';
import { expectEventually } from '@parking/testing';
import { CALLER, IdentityHarness, leakedSecrets, newRegistration, startIdentity, userPrincipal } from './identity-harness';

const DEMO_PASSWORD = 'demo password for specs';

describe('identity platform administration', () => {
  let identity: IdentityHarness;
  let admin: Principal;
  let tenant: { owner: Principal; email: string; password: string };

  beforeAll(async () => {
    identity = await startIdentity({ SEED_DEMO_TENANT: 'true', DEMO_EMAIL: 'demo@parking.test', DEMO_PASSWORD });
    const session = await identity.send<LoginResponse>(IDENTITY_RPC.login, { email: identity.admin.email, password: identity.admin.password, caller: CALLER });
    admin = userPrincipal(session, 'owner', true);
    const registration = newRegistration('customer');
    const registered = await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    tenant = { owner: userPrincipal(registered, 'owner'), email: registration.email, password: registration.password };
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  const auditRows = () => identity.sql<{ actor: string; reason: string; action: string | null; target: string | null }>(
    'SELECT actor, reason, action, target FROM identity.platform_audit ORDER BY id',
  );

  it('creates the first platform admin from BOOTSTRAP_ADMIN_* in a platform tenant, once', async () => {
    const me = await identity.send<MeResponse>(IDENTITY_RPC.me, { principal: admin });
    expect(me).toMatchObject({ user: { email: identity.admin.email, isPlatformAdmin: true }, tenant: { slug: 'platform' }, plan: { id: 'enterprise' } });
    const admins = await identity.sql('SELECT id FROM identity.users WHERE is_platform_admin');
    expect(admins).toHaveLength(1);
  });

  it('seeds the demo tenant and logs its email but not its password', async () => {
    await expect(identity.send(IDENTITY_RPC.login, { email: 'demo@parking.test', password: DEMO_PASSWORD, caller: CALLER })).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
    expect(identity.logs()).toContain('sign in as demo@parking.test');
    expect(leakedSecrets(identity.logs(), [DEMO_PASSWORD, identity.admin.password])).toEqual([]);
  });

  it('lists tenants and writes an audit row with who, why, what and when', async () => {
    const list = await identity.send<AdminListTenantsResponse>(IDENTITY_RPC.adminListTenants, { principal: admin, reason: 'weekly review', limit: 200 });
    expect(list.items.map((t) => t.slug)).toEqual(expect.arrayContaining(['platform', 'demo']));
    expect(list.items.find((t) => t.id === tenant.owner.tenantId)).toMatchObject({ status: 'active', plan: 'free', userCount: 1 });
    expect(await auditRows()).toContainEqual({ actor: admin.actor, reason: 'weekly review', action: 'tenant.list', target: null });
  });

  it('refuses a tenant user on admin routes and leaves no audit row', async () => {
    const before = (await auditRows()).length;
    expect(await identity.failure(IDENTITY_RPC.adminListTenants, { principal: tenant.owner, reason: 'curious' })).toMatchObject({ code: 'FORBIDDEN' });
    // Claiming to be a platform admin is not enough: the database is asked.
    const pretender = { ...tenant.owner, isPlatformAdmin: true };
    expect(await identity.failure(IDENTITY_RPC.adminListTenants, { principal: pretender, reason: 'curious' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await auditRows()).toHaveLength(before);
  });

  it('sets plan, limits and features, announcing each as limits_changed with a growing version', async () => {
    const tenantId = tenant.owner.tenantId;
    const planned = await identity.send<TenantAdminView>(IDENTITY_RPC.adminSetPlan, { principal: admin, reason: 'upgrade ticket 42', tenantId, plan: 'standard' });
    expect(planned).toMatchObject({ plan: 'standard', limits: { users: 25, apiKeys: 20 } });
    const limited = await identity.send<TenantAdminView>(IDENTITY_RPC.adminSetLimits, { principal: admin, reason: 'custom deal', tenantId, limits: { apiKeys: 1, spaces: null } });
    expect(limited).toMatchObject({ limits: { apiKeys: 1, spaces: null, users: 25 }, limitOverrides: { apiKeys: 1, spaces: null } });
    const flagged = await identity.send<TenantAdminView>(IDENTITY_RPC.adminSetFeatures, { principal: admin, reason: 'beta', tenantId, features: { reservations: true } });
    expect(flagged.features).toEqual({ reservations: true });

    const me = await identity.send<MeResponse>(IDENTITY_RPC.me, { principal: tenant.owner });
    expect(me).toMatchObject({ plan: { id: 'standard', limits: { apiKeys: 1 } }, features: { reservations: true } });

    await expectEventually(() => {
      const versions = identity.events('identity.tenant.limits_changed.v1').filter((e) => e.tenantid === tenantId).map((e) => e.data.version);
      expect(versions).toEqual([1, 2, 3, 4]);
    });
    const last = identity.events('identity.tenant.limits_changed.v1').filter((e) => e.tenantid === tenantId).at(-1);
    expect(last?.data).toMatchObject({ plan: 'standard', limits: { apiKeys: 1, spaces: null }, features: { reservations: true } });

    expect(await auditRows()).toEqual(
      expect.arrayContaining([
        { actor: admin.actor, reason: 'upgrade ticket 42', action: 'tenant.set-plan', target: `tenant:${tenantId}` },
        { actor: admin.actor, reason: 'custom deal', action: 'tenant.set-limits', target: `tenant:${tenantId}` },
        { actor: admin.actor, reason: 'beta', action: 'tenant.set-features', target: `tenant:${tenantId}` },
      ]),
    );
    const invalid = await identity.failure(IDENTITY_RPC.adminSetLimits, { principal: admin, reason: 'typo', tenantId, limits: { parkings: 3, users: -1 } });
    expect(invalid.errors?.map((e) => e.field).sort()).toEqual(['limits.parkings', 'limits.users']);
  });

  it('suspends a tenant: sign-in and its API keys are refused, and the audit trail lists it', async () => {
    const key = await identity.send<ApiKeySecretResponse>(IDENTITY_RPC.createApiKey, { principal: tenant.owner, name: 'before', scopes: ['spaces:read'] });
    const suspended = await identity.send<TenantAdminView>(IDENTITY_RPC.adminSuspendTenant, { principal: admin, reason: 'invoice overdue', tenantId: tenant.owner.tenantId });
    expect(suspended.status).toBe('suspended');

    expect(await identity.failure(IDENTITY_RPC.login, { email: tenant.email, password: tenant.password, caller: CALLER })).toMatchObject({ code: 'TENANT_SUSPENDED' });
    expect(await identity.failure(IDENTITY_RPC.authenticateApiKey, { key: key.key })).toMatchObject({ code: 'UNAUTHENTICATED' });
    await expectEventually(() => expect(identity.events('identity.tenant.suspended.v1').map((e) => e.data.tenantId)).toEqual([tenant.owner.tenantId]));

    const audit = await identity.send<AdminListAuditResponse>(IDENTITY_RPC.adminListAudit, { principal: admin, reason: 'incident review', target: `tenant:${tenant.owner.tenantId}` });
    // Newest first; reading the trail about a tenant is itself audited.
    expect(audit.items.slice(0, 2)).toMatchObject([
      { actor: admin.actor, reason: 'incident review', action: 'audit.list' },
      { actor: admin.actor, reason: 'invoice overdue', action: 'tenant.suspend', at: expect.any(String) },
    ]);

    await identity.send(IDENTITY_RPC.adminSuspendTenant, { principal: admin, reason: 'paid', tenantId: tenant.owner.tenantId, suspended: false });
    await expect(identity.send(IDENTITY_RPC.authenticateApiKey, { key: key.key })).resolves.toMatchObject({ principal: { tenantId: tenant.owner.tenantId } });
  });

  it('keeps audit rows immutable for the service role once written', async () => {
    const pg = await identity.sql<{ id: string }>('SELECT id::text FROM identity.platform_audit ORDER BY id LIMIT 1');
    const { Client } = await import('pg');
    const runtime = new Client({ connectionString: identity.database.urlFor('identity') });
    await runtime.connect();
    try {
      await expect(runtime.query("UPDATE identity.platform_audit SET action = 'forged' WHERE id = $1", [pg[0].id])).rejects.toThrow(/labelled once/);
      await expect(runtime.query("UPDATE identity.platform_audit SET reason = 'forged' WHERE id = $1", [pg[0].id])).rejects.toThrow(/permission denied/);
      await expect(runtime.query('DELETE FROM identity.platform_audit')).rejects.toThrow(/permission denied/);
    } finally {
      await runtime.end();
    }
  });
});
