/**
 * A revoked or rotated API key stops working at once on every gateway (docs/security.md, "API key
 * revocation"): identity announces identity.api_key.revoked.v1 and each gateway drops the key
 * from its cache, well before API_KEY_CACHE_TTL_MS. Two compiled gateway processes and
 * identity (`npm run build` first), on real PostgreSQL and NATS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectEventually, launchService, type RunningService } from '@parking/testing';
import { startApiStack, type ApiStack, type SignedIn } from '../api-stack';

/** Far longer than the test waits: only the event can make a gateway forget a key. */
const CACHE_TTL_MS = 120_000;
/** How long a gateway may take to stop a revoked key: the event's trip, not the cache's TTL. */
const AT_ONCE = { timeoutMs: 5_000, intervalMs: 100 };

describe('API key revocation reaches every gateway at once', () => {
  let api: ApiStack;
  let second: RunningService;
  let secondSpool: string;
  let owner: SignedIn;

  beforeAll(async () => {
    // Room for the polling below: refused keys count against the address, accepted ones against the tenant.
    const env = { API_KEY_CACHE_TTL_MS: String(CACHE_TTL_MS), RATE_LIMIT_PER_IP: '10000' };
    api = await startApiStack({ prefix: 'api-key-revocation', env });
    secondSpool = mkdtempSync(path.join(os.tmpdir(), 'api-key-revocation-second-'));
    second = await launchService('gateway', { env: { NATS_NAMESPACE: api.namespace, SPOOL_DIR: secondSpool, ...env } });
    owner = await api.register('revoker');
    await api.upgrade(owner.tenantId);
  }, 180_000);
  afterAll(async () => {
    await second?.stop();
    await api?.stop();
    if (secondSpool) rmSync(secondSpool, { recursive: true, force: true });
  });

  const listKeys = async (baseUrl: string, apiKey: string) => (await fetch(`${baseUrl}/api/v1/api-keys`, { headers: { 'x-api-key': apiKey } })).status;

  async function cachedOnBoth(): Promise<{ id: string; key: string }> {
    const created = await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'dashboard', scopes: ['api-keys:read'] } });
    expect(created.status).toBe(201);
    const key = { id: created.body.apiKey.id as string, key: created.body.key as string };
    // Each gateway has now checked the key with identity and keeps the answer.
    expect(await listKeys(api.baseUrl, key.key)).toBe(200);
    expect(await listKeys(second.baseUrl, key.key)).toBe(200);
    return key;
  }

  it('refuses a revoked key on both gateways within moments, long before the cache would expire', async () => {
    const key = await cachedOnBoth();
    const revoked = await api.call('DELETE', `/api/v1/api-keys/${key.id}`, { accessToken: owner.accessToken });
    expect(revoked.status).toBe(200);

    await expectEventually(async () => expect(await listKeys(second.baseUrl, key.key)).toBe(401), AT_ONCE);
    await expectEventually(async () => expect(await listKeys(api.baseUrl, key.key)).toBe(401), AT_ONCE);
  });

  it('refuses the old key of a rotation on both gateways, and takes the new one', async () => {
    const key = await cachedOnBoth();
    const rotated = await api.call('POST', `/api/v1/api-keys/${key.id}/rotate`, { accessToken: owner.accessToken });
    expect(rotated.status).toBe(200);

    await expectEventually(async () => expect(await listKeys(second.baseUrl, key.key)).toBe(401), AT_ONCE);
    await expectEventually(async () => expect(await listKeys(api.baseUrl, key.key)).toBe(401), AT_ONCE);
    expect(await listKeys(second.baseUrl, rotated.body.key)).toBe(200);
  });
});
