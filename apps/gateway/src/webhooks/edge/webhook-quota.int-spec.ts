// The per-tenant webhook quota shared by gateway replicas through a real Redis.
import Redis from 'ioredis';
import { uniqueNamespace } from '@parking/testing';
import { WebhookQuota, type QuotaAnswer } from './webhook-quota';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

describe('WebhookQuota shared through Redis', () => {
  const keyPrefix = `test:${uniqueNamespace()}:`;
  const clients: Redis[] = [];
  /** As the gateway connects (no offline queue: a command fails at once while Redis is away), connected. */
  const client = async (url = REDIS_URL) => {
    // A server that never answers is not retried (it would keep the test process alive).
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, ...(url === REDIS_URL ? {} : { retryStrategy: () => null }) });
    redis.on('error', () => undefined);
    clients.push(redis);
    if (url === REDIS_URL) await redis.connect();
    return redis;
  };

  afterAll(async () => {
    const cleaner = await client();
    const keys = await cleaner.keys(`${keyPrefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
    for (const redis of clients) redis.disconnect();
  });

  const accepted = (answers: QuotaAnswer[]) => answers.filter((answer) => answer.ok).length;
  /** Mid-window and fixed: a test that ran across a minute's end would see a fresh budget. */
  const now = () => 29_000_000 * 60_000 + 30_000;

  it('never lets two replicas together take more than the limit, however many webhooks arrive at once', async () => {
    const replicas = [new WebhookQuota({ redis: await client(), keyPrefix, now }), new WebhookQuota({ redis: await client(), keyPrefix, now })];
    const answers = await Promise.all(Array.from({ length: 800 }, (_, i) => replicas[i % 2].take('tenant-a', 300)));
    expect(accepted(answers)).toBe(300);
    expect(answers.find((answer) => !answer.ok)).toMatchObject({ ok: false, limit: 300, retryAfterSeconds: expect.any(Number) });
    // Another tenant has its own budget.
    expect(accepted(await Promise.all(Array.from({ length: 50 }, () => replicas[1].take('tenant-b', 300))))).toBe(50);
  });

  it('answers from memory while its slice lasts: one round trip per slice, not per webhook', async () => {
    const quota = new WebhookQuota({ redis: await client(), keyPrefix, now });
    await quota.take('tenant-c', 5_000);
    // A slice is a fiftieth of the limit: the next 99 are answered without waiting.
    const answers = Array.from({ length: 99 }, () => quota.take('tenant-c', 5_000));
    expect(answers).toEqual(Array(99).fill({ ok: true }));
  });

  it('counts in its own process while Redis does not answer', async () => {
    const quota = new WebhookQuota({ redis: await client('redis://127.0.0.1:1'), keyPrefix, now });
    const answers = await Promise.all(Array.from({ length: 20 }, () => quota.take('tenant-d', 10)));
    expect(accepted(answers)).toBe(10);
  });
});
