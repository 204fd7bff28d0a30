/**
 * Unauthenticated load through API keys (docs/security.md, "Unauthenticated load"): a key of the
 * wrong shape never reaches identity, a refused key is not asked about again for a while, and
 * requests whose key identity must judge spend their address's budget before identity is asked.
 * A compiled gateway (`npm run build` first) in front of a fake identity on the shared NATS; each
 * test speaks from its own address (X-Forwarded-For through one trusted proxy hop).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { IDENTITY_RPC, Namespace, STREAMS } from '@parking/contracts';
import { ensureStreams } from '@parking/messaging';
import { expectEventually, launchService, removeNamespaceStreams, testApiKey, uniqueNamespace, type RunningService } from '@parking/testing';
import { startFakeIdentity, type FakeIdentity } from '../fake-identity';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const PER_IP = 5;
const VALID_KEY = testApiKey('valid');

describe('API keys the gateway refuses before, or instead of, asking identity', () => {
  const namespace = uniqueNamespace();
  let spool: string;
  let identity: FakeIdentity;
  let gateway: RunningService;
  let nats: NatsConnection;
  let keyChecks = 0;

  const get = (address: string, key: string) =>
    fetch(`${gateway.baseUrl}/api/v1/users`, { headers: { 'x-api-key': key, 'x-forwarded-for': address } });

  beforeAll(async () => {
    spool = mkdtempSync(path.join(os.tmpdir(), 'gateway-spool-'));
    identity = await startFakeIdentity({ namespace, apiKeys: { [VALID_KEY]: ['users:read'] } });
    // A plain subscriber beside identity's queue group sees every key check the gateway sends.
    nats = await connect({ servers: NATS_URL });
    const checks = nats.subscribe(new Namespace(namespace).subject(IDENTITY_RPC.authenticateApiKey.subject));
    void (async () => {
      for await (const _check of checks) keyChecks += 1;
    })();
    await nats.flush();
    // Identity's stream, which the gateway's revocation feed follows: until it does, no verified key is cached.
    await ensureStreams(await jetstreamManager(nats), [STREAMS.IDENTITY], namespace);
    gateway = await launchService('gateway', {
      env: { NATS_NAMESPACE: namespace, SPOOL_DIR: spool, RATE_LIMIT_PER_IP: String(PER_IP), RATE_LIMIT_WINDOW_MS: '60000', TRUST_PROXY_HOPS: '1' },
    });
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await identity?.close();
    await nats?.close();
    await removeNamespaceStreams(namespace);
    rmSync(spool, { recursive: true, force: true });
  });

  beforeEach(() => {
    keyChecks = 0;
  });

  it('refuses keys not shaped as identity issues them without asking identity', async () => {
    for (const key of ['pk_live_short', 'sk_live_abcdefgh_' + 'x'.repeat(43), `pk_live_abcdefgh_${'x'.repeat(300)}`]) {
      const answer = await get('198.51.100.1', key);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await answer.json()).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('pk_live_') });
    }
    expect(keyChecks).toBe(0);
  });

  it('asks identity once about a refused key, then refuses it from memory', async () => {
    const unknown = testApiKey('unknown');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get('198.51.100.2', unknown)).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    await expectEventually(() => expect(keyChecks).toBe(1));
  });

  it('lets invented keys from one address reach identity at most RATE_LIMIT_PER_IP times a window', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => get('198.51.100.3', testApiKey('flood'))));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(PER_IP);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - PER_IP);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED', limit: PER_IP });
    expect(keyChecks).toBeLessThanOrEqual(PER_IP);
  });

  it('keeps serving a key it already verified while its address floods', async () => {
    // Verified and cached once the revocation feed follows identity's stream.
    await expectEventually(async () => expect((await get('198.51.100.4', VALID_KEY)).status).toBe(200));
    const checksBefore = keyChecks;
    expect((await get('198.51.100.4', VALID_KEY)).status).toBe(200);
    expect(keyChecks).toBe(checksBefore);
    await Promise.all(Array.from({ length: 10 }, () => get('198.51.100.4', testApiKey('flood'))));
    expect((await get('198.51.100.4', VALID_KEY)).status).toBe(200);
  });
});
