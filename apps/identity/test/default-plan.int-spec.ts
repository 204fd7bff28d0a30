/**
 * The plan a new tenant starts on is the operator's choice (DEFAULT_TENANT_PLAN), not a fixed
 * free plan. Against the compiled identity service (`npm run build` first), on real PostgreSQL and NATS.
 */
import { IDENTITY_RPC, IdentityEvents, type MeResponse, type RegisterResponse } from '@parking/contracts';
import { IdentityHarness, newRegistration, startIdentity, userPrincipal } from './identity-harness';

describe('the plan a new tenant starts on', () => {
  let identity: IdentityHarness;

  beforeAll(async () => {
    identity = await startIdentity({ DEFAULT_TENANT_PLAN: 'standard' });
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  it('is DEFAULT_TENANT_PLAN, in the tenant, in what its owner reads and in the events', async () => {
    const registration = newRegistration('planned');
    const registered = await identity.send<RegisterResponse>(IDENTITY_RPC.register, registration);
    const me = await identity.send<MeResponse>(IDENTITY_RPC.me, { principal: userPrincipal(registered, 'owner') });
    expect(me).toMatchObject({ plan: { id: 'standard', limits: { spaces: 2_000, apiRequestsPerMinute: 600 } } });
    const [tenant] = await identity.sql<{ plan: string }>('SELECT plan FROM identity.tenants WHERE id = $1', [registered.tenantId]);
    expect(tenant.plan).toBe('standard');
    const [created] = await identity.sql<{ plan: string }>(
      `SELECT envelope->'data'->>'plan' AS plan FROM identity.outbox WHERE subject LIKE $1 AND envelope->'data'->>'tenantId' = $2`,
      [`${IdentityEvents.TENANT_CREATED_V1}%`, registered.tenantId],
    );
    expect(created.plan).toBe('standard');
  });
});
