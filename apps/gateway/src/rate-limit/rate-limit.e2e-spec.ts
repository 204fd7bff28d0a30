/**
 * Two gateway processes sharing one Redis: their request counts add up, the limit answers
 * 429 problem+json with draft-spec RateLimit headers and Retry-After, and webhook paths are
 * not limited per address (ChirpStack posts everything from one).
 */
import Redis from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchService, removeNamespaceStreams, uniqueNamespace, type RunningService } from '@parking/testing';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const LIMIT = 5;

describe('rate limits shared through Redis by two gateways', () => {
  const keyPrefix = `test:${uniqueNamespace()}:`;
  let redis: Redis;
  let gateways: RunningService[] = [];
  let spool: string;
  // The gateways create the WEBHOOKS stream of their namespace when they connect.
  const namespace = uniqueNamespace();

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    spool = mkdtempSync(path.join(os.tmpdir(), 'gateway-spool-'));
    const env = {
      NATS_NAMESPACE: namespace,
      SPOOL_DIR: spool,
      REDIS_URL,
      RATE_LIMIT_KEY_PREFIX: keyPrefix,
      RATE_LIMIT_PER_IP: String(LIMIT),
      RATE_LIMIT_WINDOW_MS: '60000',
    };
    gateways = await Promise.all([launchService('gateway', { env }), launchService('gateway', { env })]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await removeNamespaceStreams(namespace);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    rmSync(spool, { recursive: true, force: true });
  });

  it('enforces the combined count of both processes for one address', async () => {
    const [first, second] = gateways;
    const answers: Response[] = [];
    // 3 + 2 = LIMIT requests, alternating processes, all allowed.
    for (const gateway of [first, second, first, second, first]) {
      answers.push(await fetch(`${gateway.baseUrl}/docs/openapi.json`));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);

    const refused = await fetch(`${second.baseUrl}/docs/openapi.json`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('ratelimit-limit')).toBe(String(LIMIT));
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', type: '/problems/rate-limited', limit: LIMIT });

    expect(await redis.keys(`${keyPrefix}*`)).toEqual([`${keyPrefix}ip:127.0.0.1`]);
  });

  it('does not limit webhook paths per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i += 1) {
      const gateway = gateways[i % 2];
      statuses.push((await fetch(`${gateway.baseUrl}/api/v1/uplink`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
      statuses.push((await fetch(`${gateway.baseUrl}/webhooks/chirpstack/up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    }
    expect(statuses).not.toContain(429);
  });

  it('never limits health probes', async () => {
    for (let i = 0; i < LIMIT + 2; i += 1) {
      expect((await fetch(`${gateways[0].baseUrl}/health/live`)).status).toBe(200);
    }
  });
});
