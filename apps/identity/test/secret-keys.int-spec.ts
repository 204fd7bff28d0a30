/**
 * Separate keys (docs/security.md): identity's signing keys are sealed with SECRETS_KEY, which only
 * identity holds; webhook HMAC secrets with INTEGRATION_SECRETS_KEY, which identity shares with
 * the gateway, bound to their integration's id. Secrets sealed before the split (under
 * SECRETS_KEY, unbound) are re-sealed when identity starts. Against the compiled identity
 * service (`npm run build` first), on real PostgreSQL and NATS.
 */
import { IDENTITY_RPC, IntegrationSecretsResponse, IntegrationSnapshotResponse, Principal, RegisterResponse } from '@parking/contracts';
import { SecretBox, SecretBoxOpenError } from '@parking/secret-box';
import { expectEventually, launchService, type RunningService } from '@parking/testing';
import { IdentityHarness, newRegistration, startIdentity, userPrincipal } from './identity-harness';

const bound = (integrationId: string) => `webhook-integration:${integrationId}`;

interface SealedColumns {
  hmac_secret_sealed: string;
  previous_hmac_sealed: string | null;
  version: number;
}

describe('the keys that seal identity’s secrets', () => {
  let identity: IdentityHarness;
  let owner: Principal;
  let replica: RunningService | undefined;

  beforeAll(async () => {
    identity = await startIdentity();
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('sealer'));
    owner = userPrincipal(session, 'owner');
    await identity.sql(`UPDATE identity.tenants SET limit_overrides = '{"integrations": 5}' WHERE id = $1`, [owner.tenantId]);
  }, 90_000);
  afterAll(async () => {
    await replica?.stop();
    await identity?.stop();
  });

  const sealedOf = async (id: string) =>
    (await identity.sql<SealedColumns>('SELECT hmac_secret_sealed, previous_hmac_sealed, version FROM identity.webhook_integrations WHERE id = $1', [id]))[0];

  it('seals an HMAC secret with INTEGRATION_SECRETS_KEY bound to its integration, never with SECRETS_KEY', async () => {
    const created = await identity.send<IntegrationSecretsResponse>(IDENTITY_RPC.createIntegration, { principal: owner, name: 'eu1' });
    const { hmac_secret_sealed: sealed } = await sealedOf(created.integration.id);
    const shared = new SecretBox(identity.integrationSecretsKey);

    expect(shared.openText(sealed, bound(created.integration.id))).toBe(created.hmacSecret);
    // Bound to its integration: moved onto another one, it does not open.
    expect(() => shared.open(sealed, bound(owner.tenantId))).toThrow(SecretBoxOpenError);
    expect(() => shared.open(sealed)).toThrow(SecretBoxOpenError);
    // Identity's own key does not open it.
    expect(() => new SecretBox(identity.secretsKey).open(sealed, bound(created.integration.id))).toThrow(/not configured/);

    const snapshot = await identity.send<IntegrationSnapshotResponse>(IDENTITY_RPC.integrationSnapshot, {});
    const entry = snapshot.integrations.find((i) => i.id === created.integration.id);
    expect(shared.openText(entry!.hmacSecrets[0].sealed, bound(created.integration.id))).toBe(created.hmacSecret);
  });

  it('seals the signing keys with SECRETS_KEY, which the key shared with the gateway cannot open', async () => {
    const [row] = await identity.sql<{ kid: string; private_key_sealed: string }>('SELECT kid, private_key_sealed FROM identity.signing_keys LIMIT 1');
    expect(() => new SecretBox(identity.integrationSecretsKey).open(row.private_key_sealed, `signing-key:${row.kid}`)).toThrow(/not configured/);
    expect(JSON.parse(new SecretBox(identity.secretsKey).openText(row.private_key_sealed, `signing-key:${row.kid}`))).toMatchObject({ kty: 'EC', d: expect.any(String) });
  });

  it('re-seals at start what was sealed before the split, current and previous secrets alike, and announces the new values', async () => {
    const created = await identity.send<IntegrationSecretsResponse>(IDENTITY_RPC.createIntegration, { principal: owner, name: 'legacy' });
    const rotated = await identity.send<IntegrationSecretsResponse>(IDENTITY_RPC.rotateIntegration, { principal: owner, integrationId: created.integration.id, graceSeconds: 3600 });
    const id = created.integration.id;
    // As the previous release stored them: under SECRETS_KEY, bound to nothing.
    const legacy = new SecretBox(identity.secretsKey);
    await identity.sql('UPDATE identity.webhook_integrations SET hmac_secret_sealed = $2, previous_hmac_sealed = $3 WHERE id = $1', [
      id,
      legacy.seal(rotated.hmacSecret),
      legacy.seal(created.hmacSecret),
    ]);
    const before = await sealedOf(id);

    // A replica starts (as after an upgrade): it re-seals before it serves.
    replica = await launchService('identity', {
      env: {
        DATABASE_URL: identity.database.urlFor('identity'),
        NATS_NAMESPACE: identity.namespace,
        SECRETS_KEY: identity.secretsKey,
        INTEGRATION_SECRETS_KEY: identity.integrationSecretsKey,
      },
    });
    const after = await sealedOf(id);
    const shared = new SecretBox(identity.integrationSecretsKey);
    expect(shared.openText(after.hmac_secret_sealed, bound(id))).toBe(rotated.hmacSecret);
    expect(shared.openText(after.previous_hmac_sealed!, bound(id))).toBe(created.hmacSecret);
    expect(after.version).toBe(before.version + 1);

    // The gateways learn the new values from the event, as from any change.
    const announced = await expectEventually(() => {
      const found = identity.events('identity.webhook_integration.upserted.v1').filter((e) => e.data.id === id && e.data.version === after.version);
      expect(found).toHaveLength(1);
      return found[0];
    });
    const hmacSecrets = announced.data.hmacSecrets as Array<{ sealed: string }>;
    expect(hmacSecrets.map((s) => shared.openText(s.sealed, bound(id)))).toEqual([rotated.hmacSecret, created.hmacSecret]);
    expect(replica.output()).toContain('re-sealed 1 webhook integration');

    // A second start finds nothing left to do.
    await replica.stop();
    replica = await launchService('identity', {
      env: {
        DATABASE_URL: identity.database.urlFor('identity'),
        NATS_NAMESPACE: identity.namespace,
        SECRETS_KEY: identity.secretsKey,
        INTEGRATION_SECRETS_KEY: identity.integrationSecretsKey,
      },
    });
    expect((await sealedOf(id)).version).toBe(after.version);
  }, 150_000);

  it('refuses to start when INTEGRATION_SECRETS_KEY is missing or is SECRETS_KEY itself', async () => {
    for (const key of ['', identity.secretsKey]) {
      const refused = await launchService('identity', {
        waitReady: false,
        env: { DATABASE_URL: identity.database.urlFor('identity'), NATS_NAMESPACE: identity.namespace, SECRETS_KEY: identity.secretsKey, INTEGRATION_SECRETS_KEY: key },
      });
      expect(await refused.exited).toMatchObject({ code: 78 });
      expect(refused.output()).toContain('INTEGRATION_SECRETS_KEY');
    }
  }, 60_000);
});
