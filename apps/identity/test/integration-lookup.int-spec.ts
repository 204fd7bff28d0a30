/**
 * A gateway asks identity about a webhook token it has not heard of yet (docs/security.md, "New
 * integrations"): one integration's credentials by its token's prefix or its id, as the
 * upserted event carries them. Against the compiled identity service (`npm run build` first).
 */
import { IDENTITY_RPC, IntegrationLookupResponse, IntegrationSecretsResponse, IntegrationSnapshotResponse, Principal, RegisterResponse } from '@parking/contracts';
import { IdentityHarness, newRegistration, startIdentity, userPrincipal } from './identity-harness';

describe('identity: looking up one webhook integration', () => {
  let identity: IdentityHarness;
  let owner: Principal;
  let created: IntegrationSecretsResponse;

  beforeAll(async () => {
    identity = await startIdentity();
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('lookup'));
    owner = userPrincipal(session, 'owner');
    created = await identity.send<IntegrationSecretsResponse>(IDENTITY_RPC.createIntegration, { principal: owner, name: 'chirpstack new' });
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  it('answers an integration by its token prefix or its id, as the snapshot holds it, with its version', async () => {
    const snapshot = await identity.send<IntegrationSnapshotResponse>(IDENTITY_RPC.integrationSnapshot, {});
    const held = snapshot.integrations.find((integration) => integration.id === created.integration.id);
    const byPrefix = await identity.send<IntegrationLookupResponse>(IDENTITY_RPC.lookupIntegration, { tokenPrefix: created.integration.tokenPrefix });
    expect(byPrefix).toEqual({ integration: { ...held, version: 1 } });
    const byId = await identity.send<IntegrationLookupResponse>(IDENTITY_RPC.lookupIntegration, { integrationId: created.integration.id });
    expect(byId).toEqual(byPrefix);
  });

  it('answers null for a token prefix or an id nobody has', async () => {
    expect(await identity.send(IDENTITY_RPC.lookupIntegration, { tokenPrefix: 'whk_Nobody00' })).toEqual({ integration: null });
    expect(await identity.send(IDENTITY_RPC.lookupIntegration, { integrationId: '00000000-0000-4000-8000-000000000000' })).toEqual({ integration: null });
  });

  it('refuses anything but one well-formed prefix or id', async () => {
    expect(await identity.failure(IDENTITY_RPC.lookupIntegration, { tokenPrefix: created.integration.tokenPrefix, integrationId: created.integration.id })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await identity.failure(IDENTITY_RPC.lookupIntegration, { tokenPrefix: "whk_' OR 1=1" })).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
