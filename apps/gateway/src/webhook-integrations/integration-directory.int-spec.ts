/** The directory against the compiled identity (`npm run build` first), real NATS and PostgreSQL. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IDENTITY_RPC, Principal, ROLE_PERMISSIONS, type SessionResponse } from '@parking/contracts';
import { createRpcClient, RpcClient } from '@parking/messaging-nest';
import { SecretBox, generateSecretsKey, sealedFor } from '@parking/secret-box';
import { createTestDatabase, expectEventually, launchService, removeNamespaceStreams, RunningService, TestDatabase, uniqueNamespace, TEST_RPC_KEYS } from '@parking/testing';
import { IntegrationDirectory } from './integration-directory';
import { IntegrationDirectoryFeed } from './integration-directory.feed';
import { INTEGRATIONS_FILE } from './integration-spool-file';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const quiet = { debug: () => undefined, warn: () => undefined };
const sign = (secret: string, body: Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('IntegrationDirectory with identity', () => {
  const namespace = uniqueNamespace();
  // The key identity shares with the gateway for HMAC secrets (not identity's own SECRETS_KEY).
  const integrationSecretsKey = generateSecretsKey();
  const box = new SecretBox(integrationSecretsKey);
  let db: TestDatabase;
  let scratch: string;
  let identity: RunningService | undefined;
  let rpc: RpcClient;
  let owner: Principal;
  const feeds: IntegrationDirectoryFeed[] = [];

  const startDirectory = async (rpcClient: RpcClient) => {
    const directory = new IntegrationDirectory((integrationId, sealed) => box.openText(sealed, sealedFor.webhookIntegration(integrationId)));
    const feed = new IntegrationDirectoryFeed(directory, {
      natsUrl: NATS_URL,
      namespace,
      spoolDir: path.join(scratch, 'spool'),
      rpc: rpcClient,
      logger: quiet,
      snapshotTimeoutMs: 1_000,
    });
    feeds.push(feed);
    await feed.start();
    return { directory, feed };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'gateway-integrations-'));
    identity = await launchService('identity', {
      env: { DATABASE_URL: db.urlFor('identity'), NATS_NAMESPACE: namespace, NATS_URL, INTEGRATION_SECRETS_KEY: integrationSecretsKey, MAIL_DIR: path.join(scratch, 'mail') },
    });
    rpc = createRpcClient({ natsUrl: NATS_URL, name: 'gateway-integrations-spec', namespace, timeoutMs: 10_000, proof: TEST_RPC_KEYS.gatewayProof });
    const suffix = namespace.slice(1, 9);
    // The launcher switches email verification off, so registering signs in at once.
    const session = (await rpc.call(
      IDENTITY_RPC.register,
      { email: `owner-${suffix}@example.test`, password: `correct horse battery ${suffix}`, name: 'Owner', tenantName: `Harbour ${suffix}`, tenantSlug: `harbour-${suffix}` },
      { caller: { ip: '203.0.113.7', userAgent: 'gateway-integrations-spec' } },
    )) as SessionResponse;
    owner = {
      kind: 'user',
      tenantId: session.tenantId,
      actor: `user:${session.userId}`,
      userId: session.userId,
      role: 'owner',
      permissions: [...ROLE_PERMISSIONS.owner],
      isPlatformAdmin: false,
    };
  }, 120_000);

  afterAll(async () => {
    for (const feed of feeds) await feed.stop();
    await rpc?.close();
    await identity?.stop();
    await removeNamespaceStreams(namespace);
    await db?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('boots from the snapshot, follows rotation and deletion, and boots from the spool file without identity', async () => {
    const created = await rpc.call(IDENTITY_RPC.createIntegration, { name: 'chirpstack eu1' }, { principal: owner });
    const integrationId = created.integration.id;
    const body = Buffer.from('{"deviceInfo":{"devEui":"0102030405060708"},"data":"AQ=="}');

    const { directory, feed } = await startDirectory(rpc);
    await expectEventually(() => expect(feed.hasSnapshot).toBe(true), { timeoutMs: 20_000 });
    expect(directory.authenticateBearer(created.token)).toEqual({ ok: true, integrationId, tenantId: owner.tenantId });
    expect(directory.verifySignature(integrationId, body, sign(created.hmacSecret, body))).toEqual({ ok: true, integrationId, tenantId: owner.tenantId });
    expect(directory.verifySignature(integrationId, body, sign('wrong', body))).toEqual({ ok: false, reason: 'bad-signature' });

    const rotated = await rpc.call(IDENTITY_RPC.rotateIntegration, { integrationId, graceSeconds: 3600 }, { principal: owner });
    await expectEventually(() => expect(directory.authenticateBearer(rotated.token)).toMatchObject({ ok: true, integrationId }), { timeoutMs: 20_000 });
    expect(directory.authenticateBearer(created.token)).toMatchObject({ ok: true, integrationId });
    expect(directory.verifySignature(integrationId, body, sign(rotated.hmacSecret, body))).toMatchObject({ ok: true });
    expect(directory.verifySignature(integrationId, body, sign(created.hmacSecret, body))).toMatchObject({ ok: true });

    await rpc.call(IDENTITY_RPC.deleteIntegration, { integrationId }, { principal: owner });
    await expectEventually(() => expect(directory.authenticateBearer(rotated.token)).toEqual({ ok: false, reason: 'unknown-prefix' }), { timeoutMs: 20_000 });
    expect(directory.authenticateBearer(created.token)).toEqual({ ok: false, reason: 'unknown-prefix' });
    expect(directory.verifySignature(integrationId, body, sign(rotated.hmacSecret, body))).toEqual({ ok: false, reason: 'unknown-integration' });

    // Created after the snapshot (the free plan allows one at a time): known from its event only.
    const kept = await rpc.call(IDENTITY_RPC.createIntegration, { name: 'kept' }, { principal: owner });
    await expectEventually(() => expect(directory.authenticateBearer(kept.token)).toMatchObject({ ok: true, integrationId: kept.integration.id }), { timeoutMs: 20_000 });

    // The spool file follows (debounced) and holds no secret in the clear.
    const spoolFile = path.join(scratch, 'spool', INTEGRATIONS_FILE);
    await expectEventually(() => {
      const content = JSON.parse(readFileSync(spoolFile, 'utf8'));
      expect(content.integrations).toEqual([expect.objectContaining({ id: kept.integration.id })]);
      const text = JSON.stringify(content);
      for (const secret of [created.token, created.hmacSecret, rotated.token, rotated.hmacSecret, kept.token, kept.hmacSecret]) {
        if (secret) expect(text).not.toContain(secret);
      }
    });
    expect(statSync(spoolFile).mode & 0o777).toBe(0o600);

    // Identity goes away: a new directory on the same SPOOL_DIR still answers from the file.
    await identity?.stop();
    identity = undefined;
    const unanswered = await rpc.call(IDENTITY_RPC.integrationSnapshot, {}, {}, { timeoutMs: 500 }).catch((error: Error) => error);
    expect(unanswered).toBeInstanceOf(Error);
    await feed.stop();
    const restarted = await startDirectory(rpc);
    expect(restarted.feed.hasSnapshot).toBe(false);
    expect(restarted.directory.authenticateBearer(kept.token)).toEqual({ ok: true, integrationId: kept.integration.id, tenantId: owner.tenantId });
    expect(restarted.directory.verifySignature(kept.integration.id, body, sign(kept.hmacSecret, body))).toMatchObject({ ok: true });
    expect(restarted.directory.authenticateBearer(rotated.token)).toEqual({ ok: false, reason: 'unknown-prefix' });
  }, 90_000);
});
