/**
 * Every service refuses a principal it cannot verify: written into a payload, signed with a key
 * it does not trust, or sent with another service's valid key. The compiled identity, ingest
 * and occupancy processes (`npm run build` first) on a test database of their own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DEVICES_RPC, IDENTITY_RPC, OCCUPANCY_RPC, type Principal, type RpcContract } from '@parking/contracts';
import { createRpcClient, type RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { generateProofKeyPair, RpcProofSigner, trustedKeyEntry } from '@parking/rpc-proof';
import { createTestDatabase, launchPlatform, TEST_RPC_KEYS, uniqueNamespace, type PlatformStack, type TestDatabase } from '@parking/testing';
import { Client } from 'pg';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** Each service's tenant-scoped command, as the gateway would send it for an owner. */
const TARGETS: Array<{ service: string; contract: RpcContract<object, unknown>; input: object }> = [
  { service: 'identity', contract: IDENTITY_RPC.listUsers, input: {} },
  { service: 'ingest', contract: DEVICES_RPC.list, input: {} },
  { service: 'occupancy', contract: OCCUPANCY_RPC.listSites, input: {} },
];

describe('forged principals are refused by every service (real NATS and PostgreSQL)', () => {
  const namespace = uniqueNamespace();
  // Another service the platform trusts for its own calls (as signage will call ChirpStack sync).
  const ingestKeys = generateProofKeyPair();
  let database: TestDatabase;
  let stack: PlatformStack;
  const clients: RpcClient[] = [];
  const client = (proof?: { issuer: string; signingKey: string }) => {
    const made = createRpcClient({ natsUrl: NATS_URL, name: 'forged-principals-spec', namespace, timeoutMs: 10_000, ...(proof ? { proof } : {}) });
    clients.push(made);
    return made;
  };
  const refusal = async (sending: Promise<unknown>): Promise<DomainError> => {
    const outcome = await sending.then(
      (reply) => new Error(`expected a refusal, got ${JSON.stringify(reply)}`),
      (error: unknown) => error,
    );
    if (!(outcome instanceof DomainError)) throw outcome;
    return outcome;
  };
  // An API key's principal. Identity re-reads the key in its database (docs/security.md: a revoked key's
  // principal can do nothing), so the key exists there; the other services trust the proof.
  const apiKeyId = randomUUID();
  const owner: Principal = {
    kind: 'api-key',
    tenantId: randomUUID(),
    actor: `api-key:${apiKeyId}`,
    apiKeyId,
    permissions: ['users:read', 'devices:read', 'sites:read'],
    isPlatformAdmin: false,
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await launchPlatform(database, {
      namespace,
      services: ['identity', 'ingest', 'occupancy'],
      env: {
        SECRETS_KEY: randomBytes(32).toString('base64'),
        RPC_TRUSTED_KEYS: [TEST_RPC_KEYS.trustedKeys, trustedKeyEntry('ingest', ingestKeys.publicKey)].join(','),
      },
    });
    const pg = new Client({ connectionString: database.adminUrl });
    await pg.connect();
    try {
      await pg.query(
        `INSERT INTO identity.api_keys (id, tenant_id, name, prefix, secret_hash, scopes, created_by) VALUES ($1, $2, 'forged-principals', $3, $4, $5, 'user:spec')`,
        [apiKeyId, owner.tenantId, `pk_live_${apiKeyId.slice(0, 8)}`, '0'.repeat(64), owner.permissions],
      );
    } finally {
      await pg.end();
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await stack?.stop();
    await database?.drop();
  });

  describe.each(TARGETS)('$service', ({ contract, input }) => {
    it('answers the gateway’s proof (the control)', async () => {
      await expect(client(TEST_RPC_KEYS.gatewayProof).call(contract, input, { principal: owner })).resolves.toMatchObject({ items: expect.any(Array) });
    });

    it('refuses a principal written into the payload, without a proof', async () => {
      const refused = await refusal(client().send(contract.subject, { ...input, principal: owner }));
      expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'Refused: the request carries no proof of its caller.' });
    });

    it('refuses a proof signed with a key it does not trust, though it names the gateway', async () => {
      const forger = client({ issuer: 'gateway', signingKey: generateProofKeyPair().privateKey });
      expect(await refusal(forger.call(contract, input, { principal: owner }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it("refuses another service's valid key speaking for a tenant's user", async () => {
      const ingest = client({ issuer: 'ingest', signingKey: ingestKeys.privateKey });
      expect(await refusal(ingest.call(contract, input, { principal: owner }))).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('refuses a valid proof reused for other input', async () => {
      // A proof is bound to the input it was made for: the same principal cannot page further with it.
      const proof = await new RpcProofSigner(TEST_RPC_KEYS.gatewayProof.issuer, TEST_RPC_KEYS.gatewayProof.signingKey).sign(contract.subject, input, { principal: owner });
      expect(await refusal(client().send(contract.subject, { ...input, limit: 1 }, { proof }))).toMatchObject({
        code: 'UNAUTHENTICATED',
        detail: 'Refused: the proof was made for other input.',
      });
    });
  });
});
