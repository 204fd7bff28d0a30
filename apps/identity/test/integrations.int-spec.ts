/** Webhook integrations against the compiled identity service (`npm run build` first). */
import {
  IDENTITY_RPC,
  IntegrationSecretsResponse,
  IntegrationSnapshotResponse,
  IntegrationView,
  Principal,
  RegisterResponse,
} from '@parking/contracts';
import { SecretBox, sealedFor } from '@parking/secret-box';
import { expectEventually } from '@parking/testing';
import { createHash } from 'node:crypto';
import { IdentityHarness, leakedSecrets, newRegistration, startIdentity, userPrincipal } from './identity-harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('identity webhook integrations', () => {
  let identity: IdentityHarness;
  let owner: Principal;
  const secrets: string[] = [];

  beforeAll(async () => {
    identity = await startIdentity();
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration());
    owner = userPrincipal(session, 'owner');
    // One integration would be the free plan's limit; this tenant gets more room.
    await identity.sql(`UPDATE identity.tenants SET limit_overrides = '{"integrations": 3}' WHERE id = $1`, [owner.tenantId]);
  }, 90_000);
  afterAll(async () => {
    await identity?.stop();
  });

  const create = async (name: string, principal = owner) => {
    const created = await identity.send<IntegrationSecretsResponse>(IDENTITY_RPC.createIntegration, { principal, name });
    secrets.push(created.token, created.hmacSecret);
    return created;
  };

  it('creates an integration whose token is stored hashed and whose HMAC secret is stored sealed, and announces it', async () => {
    const created = await create('chirpstack eu1');
    expect(created.token).toMatch(/^whk_[A-Za-z0-9]{8}_/);
    expect(created.integration).toMatchObject({ name: 'chirpstack eu1', tokenPrefix: created.token.slice(0, 12), rejectedCount: 0, lastRejections: [] });

    const [row] = await identity.sql<{ token_hash: string; hmac_secret_sealed: string }>(
      'SELECT token_hash, hmac_secret_sealed FROM identity.webhook_integrations WHERE id = $1',
      [created.integration.id],
    );
    expect(row.token_hash).toBe(sha256(created.token));
    // Sealed with the key identity shares with the gateway, bound to the integration (secret-keys.int-spec.ts has the rest).
    const shared = new SecretBox(identity.integrationSecretsKey);
    expect(shared.openText(row.hmac_secret_sealed, sealedFor.webhookIntegration(created.integration.id))).toBe(created.hmacSecret);

    const [event] = await expectEventually(() => {
      const found = identity.events('identity.webhook_integration.upserted.v1').filter((e) => e.data.id === created.integration.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event.data).toMatchObject({ tenantId: owner.tenantId, enabled: true, version: 1, tokens: [{ prefix: created.integration.tokenPrefix, sha256: sha256(created.token), validUntil: null }] });
    const sealed = (event.data.hmacSecrets as Array<{ sealed: string }>)[0].sealed;
    expect(shared.openText(sealed, sealedFor.webhookIntegration(created.integration.id))).toBe(created.hmacSecret);
    expect(JSON.stringify(event)).not.toContain(created.hmacSecret);
  });

  it('rotates with a grace period in which the old and new token and secret are both valid', async () => {
    const created = await create('rotating');
    const rotated = await identity.send<IntegrationSecretsResponse>(IDENTITY_RPC.rotateIntegration, {
      principal: owner,
      integrationId: created.integration.id,
      graceSeconds: 3600,
    });
    secrets.push(rotated.token, rotated.hmacSecret);
    expect(rotated.token).not.toBe(created.token);
    expect(rotated.integration.previousValidUntil).not.toBeNull();

    const snapshot = await identity.send<IntegrationSnapshotResponse>(IDENTITY_RPC.integrationSnapshot, {});
    const entry = snapshot.integrations.find((i) => i.id === created.integration.id);
    expect(entry?.tokens.map((t) => t.sha256)).toEqual([sha256(rotated.token), sha256(created.token)]);
    expect(entry?.tokens[1].validUntil).toBe(rotated.integration.previousValidUntil);
    const box = new SecretBox(identity.integrationSecretsKey);
    expect(entry?.hmacSecrets.map((s) => box.openText(s.sealed, sealedFor.webhookIntegration(created.integration.id)))).toEqual([rotated.hmacSecret, created.hmacSecret]);

    await expectEventually(() => {
      const versions = identity.events('identity.webhook_integration.upserted.v1').filter((e) => e.data.id === created.integration.id).map((e) => e.data.version);
      expect(versions).toEqual([1, 2]);
    });

    // Once the grace is over, only the new pair is handed out.
    await identity.sql("UPDATE identity.webhook_integrations SET previous_valid_until = now() - interval '1 second' WHERE id = $1", [created.integration.id]);
    const later = await identity.send<IntegrationSnapshotResponse>(IDENTITY_RPC.integrationSnapshot, {});
    expect(later.integrations.find((i) => i.id === created.integration.id)?.tokens.map((t) => t.sha256)).toEqual([sha256(rotated.token)]);
  });

  it('shows delivery counters reported by the gateway', async () => {
    const created = await create('reported');
    await identity.send(IDENTITY_RPC.reportIntegrationDeliveries, {
      reports: [
        {
          integrationId: created.integration.id,
          tenantId: owner.tenantId,
          lastReceivedAt: '2026-01-01T10:00:00.000Z',
          rejections: [
            { at: '2026-01-01T09:00:00.000Z', reason: 'bad-token' },
            { at: '2026-01-01T09:30:00.000Z', reason: 'bad-signature' },
          ],
        },
      ],
    });
    const view = await identity.send<IntegrationView>(IDENTITY_RPC.getIntegration, { principal: owner, integrationId: created.integration.id });
    expect(view).toMatchObject({
      lastReceivedAt: '2026-01-01T10:00:00.000Z',
      rejectedCount: 2,
      lastRejections: [
        { at: '2026-01-01T09:30:00.000Z', reason: 'bad-signature' },
        { at: '2026-01-01T09:00:00.000Z', reason: 'bad-token' },
      ],
    });
  });

  it("enforces the integrations limit, then deletes one and announces the deletion", async () => {
    const failure = await identity.failure(IDENTITY_RPC.createIntegration, { principal: owner, name: 'one too many' });
    expect(failure).toMatchObject({ code: 'LIMIT_EXCEEDED', errors: [{ field: 'limits.integrations', message: 'at most 3' }] });

    const { items } = await identity.send<{ items: IntegrationView[] }>(IDENTITY_RPC.listIntegrations, { principal: owner });
    expect(items).toHaveLength(3);
    const victim = items[0];
    await expect(identity.send(IDENTITY_RPC.deleteIntegration, { principal: owner, integrationId: victim.id })).resolves.toEqual({ ok: true });
    expect(await identity.failure(IDENTITY_RPC.getIntegration, { principal: owner, integrationId: victim.id })).toMatchObject({ code: 'NOT_FOUND' });
    await expectEventually(() => {
      expect(identity.events('identity.webhook_integration.deleted.v1').map((e) => e.data)).toEqual([
        expect.objectContaining({ id: victim.id, tenantId: owner.tenantId }),
      ]);
    });
    const snapshot = await identity.send<IntegrationSnapshotResponse>(IDENTITY_RPC.integrationSnapshot, {});
    expect(snapshot.integrations.map((i) => i.id)).not.toContain(victim.id);
  });

  it('does not show one tenant the integrations of another', async () => {
    const session = await identity.send<RegisterResponse>(IDENTITY_RPC.register, newRegistration('other'));
    const other = userPrincipal(session, 'owner');
    const { items } = await identity.send<{ items: IntegrationView[] }>(IDENTITY_RPC.listIntegrations, { principal: other });
    expect(items).toEqual([]);
    const mine = await identity.send<{ items: IntegrationView[] }>(IDENTITY_RPC.listIntegrations, { principal: owner });
    expect(await identity.failure(IDENTITY_RPC.getIntegration, { principal: other, integrationId: mine.items[0].id })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('writes no token or HMAC secret into its logs', () => {
    expect(secrets.length).toBeGreaterThan(6);
    expect(leakedSecrets(identity.logs(), secrets)).toEqual([]);
  });
});
