/**
 * The webhook edge against one tenant exhausting what all share, and against senders without
 * valid credentials (docs/security.md: "One tenant exhausting shared resources", "New integrations",
 * "Unauthenticated load"). Two compiled gateway processes sharing Redis, identity behind them
 * (`npm run build` first), on real PostgreSQL, NATS and Redis.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import Redis from 'ioredis';
import { IDENTITY_RPC, Namespace } from '@parking/contracts';
import { expectEventually, launchService, uniqueNamespace, type RunningService } from '@parking/testing';
import { startApiStack, type ApiStack, type SignedIn } from '../api-stack';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const QUOTA = 12;
const FAILURES_PER_IP = 5;
const SLOW = { timeoutMs: 20_000, intervalMs: 200 };

const uplink = () =>
  JSON.stringify({
    deduplicationId: randomUUID(),
    time: new Date().toISOString(),
    deviceInfo: { tenantId: randomUUID(), applicationId: randomUUID(), deviceName: 'bay-9', devEui: randomBytes(8).toString('hex'), tags: {} },
    devAddr: '01020304',
    fCnt: 1,
    fPort: 1,
    data: 'AQ==',
  });

describe('the webhook edge: per-tenant quotas, new integrations and refused senders, on two gateways', () => {
  const namespace = uniqueNamespace();
  const keyPrefix = `test:${namespace}:`;
  let scratch: string;
  let api: ApiStack;
  let second: RunningService;
  let gateways: string[];
  let nats: NatsConnection;
  let redis: Redis;

  const webhook = (baseUrl: string, token: string) =>
    fetch(`${baseUrl}/api/v1/webhooks/chirpstack?event=up`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: uplink() });

  async function integrationOf(tenant: SignedIn, name: string): Promise<{ id: string; token: string }> {
    const created = await api.call('POST', '/api/v1/webhook-integrations', { accessToken: tenant.accessToken, body: { name } });
    expect(created.status).toBe(201);
    return { id: created.body.integration.id, token: created.body.token };
  }

  /** Counts the requests of one identity RPC (a plain subscriber beside identity's queue group sees each). */
  function countRequests(subject: string): { count: () => number; stop: () => void } {
    const subscription: Subscription = nats.subscribe(new Namespace(namespace).subject(subject));
    let seen = 0;
    void (async () => {
      for await (const _message of subscription) seen += 1;
    })();
    return { count: () => seen, stop: () => subscription.unsubscribe() };
  }

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'webhook-edge-'));
    const env = { NATS_NAMESPACE: namespace, REDIS_URL, RATE_LIMIT_KEY_PREFIX: keyPrefix, WEBHOOK_AUTH_FAILURES_PER_IP: String(FAILURES_PER_IP) };
    api = await startApiStack({ prefix: 'webhook-edge', env });
    second = await launchService('gateway', { env: { ...env, SPOOL_DIR: path.join(scratch, 'second-spool') } });
    gateways = [api.baseUrl, second.baseUrl];
    nats = await connect({ servers: NATS_URL.split(','), name: 'webhook-edge-e2e' });
    redis = new Redis(REDIS_URL);
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
    await api?.stop();
    await nats?.close();
    const keys = (await redis?.keys(`${keyPrefix}*`)) ?? [];
    if (keys.length > 0) await redis.del(...keys);
    await redis?.quit();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("holds a tenant to its plan's webhooksPerMinute, counted once across both gateways", async () => {
    const tenant = await api.register('quota');
    // A small quota, set before the integration exists: a gateway that knows the token has had the limit announced too.
    const limited = await api.call('PUT', `/api/v1/admin/tenants/${tenant.tenantId}/limits`, {
      accessToken: api.admin.accessToken,
      body: { reason: 'e2e: a quota small enough to exhaust', limits: { webhooksPerMinute: QUOTA } },
    });
    expect(limited.status).toBe(200);
    expect(limited.body.limits.webhooksPerMinute).toBe(QUOTA);
    const { token } = await integrationOf(tenant, 'quota chirpstack');
    for (const gateway of gateways) await expectEventually(async () => expect((await webhook(gateway, token)).status).toBe(200), SLOW);

    // A fresh minute, so what the probes above spent does not count.
    await delay(60_000 - (Date.now() % 60_000) + 200);
    const answers: Response[] = [];
    for (let i = 0; i < QUOTA * 2; i += 1) answers.push(await webhook(gateways[i % 2], token));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(QUOTA);
    expect(answers.slice(QUOTA).map((answer) => answer.status)).toEqual(Array(QUOTA).fill(429));
    const refused = answers.at(-1)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit: QUOTA });

    // Another tenant's webhooks are not held up by it.
    const other = await api.register('quota-other');
    const otherIntegration = await integrationOf(other, 'other chirpstack');
    for (const gateway of gateways) await expectEventually(async () => expect((await webhook(gateway, otherIntegration.token)).status).toBe(200), SLOW);
  }, 120_000);

  it("takes a new integration's token on the other gateway at once, without waiting for identity's event", async () => {
    const tenant = await api.register('fresh');
    await api.upgrade(tenant.tenantId);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      // Created through the first gateway, used on the second within milliseconds.
      const { token } = await integrationOf(tenant, `fresh chirpstack ${i}`);
      statuses.push((await webhook(second.baseUrl, token)).status);
    }
    expect(statuses).toEqual(Array(8).fill(200));
  });

  it('asks identity about an unknown token once, and past WEBHOOK_AUTH_FAILURES_PER_IP answers a failing sender 429 without asking', async () => {
    const lookups = countRequests(IDENTITY_RPC.lookupIntegration.subject);
    try {
      const repeated = `whk_Unkn0wn1_${randomBytes(32).toString('base64url')}`;
      // The same unknown token twice: one question to identity, the refusal is remembered.
      expect((await webhook(second.baseUrl, repeated)).status).toBe(401);
      expect((await webhook(second.baseUrl, repeated)).status).toBe(401);
      await expectEventually(() => expect(lookups.count()).toBe(1));

      const statuses: number[] = [];
      for (let i = 0; i < FAILURES_PER_IP + 4; i += 1) {
        const unknown = `whk_${randomBytes(6).toString('hex').slice(0, 8)}_${randomBytes(32).toString('base64url')}`;
        statuses.push((await webhook(second.baseUrl, unknown)).status);
      }
      // Two failures were counted above already.
      expect(statuses).toEqual([...Array(FAILURES_PER_IP - 2).fill(401), ...Array(6).fill(429)]);
      const refused = await webhook(second.baseUrl, `whk_Unkn0wn2_${randomBytes(32).toString('base64url')}`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      // Every failure before the limit asked identity once; none after it did.
      await delay(200);
      expect(lookups.count()).toBe(1 + FAILURES_PER_IP - 2);

      // A sender with a valid token from that address is still served.
      const tenant = await api.register('after-failures');
      const { token } = await integrationOf(tenant, 'valid chirpstack');
      await expectEventually(async () => expect((await webhook(second.baseUrl, token)).status).toBe(200), SLOW);
    } finally {
      lookups.stop();
    }
  });
});
