import { QUOTA_WINDOW_MS, WebhookQuota } from './webhook-quota';

describe('WebhookQuota (one process, no Redis)', () => {
  let now: number;
  let quota: WebhookQuota;

  beforeEach(() => {
    now = 10 * QUOTA_WINDOW_MS + 15_000;
    quota = new WebhookQuota({ keyPrefix: 'test:', now: () => now });
  });

  const takeMany = (key: string, perMinute: number | null, count: number) => Array.from({ length: count }, () => quota.take(key, perMinute));

  it("holds each tenant to its own limit per minute window and says when the window ends", () => {
    expect(takeMany('tenant-a', 5, 5)).toEqual(Array(5).fill({ ok: true }));
    expect(quota.take('tenant-a', 5)).toEqual({ ok: false, limit: 5, retryAfterSeconds: 45 });
    expect(quota.take('tenant-b', 5)).toEqual({ ok: true });
    now += 45_000;
    expect(quota.take('tenant-a', 5)).toEqual({ ok: true });
  });

  it('lets an unlimited tenant (null) through', () => {
    expect(takeMany('tenant-a', null, 1_000).every((answer) => (answer as { ok: boolean }).ok)).toBe(true);
  });

  it('applies a changed limit within the window: a lower one at once, a higher one with what is left', () => {
    expect(takeMany('tenant-a', 10, 3)).toEqual(Array(3).fill({ ok: true }));
    expect(takeMany('tenant-a', 4, 2)).toEqual([{ ok: true }, { ok: false, limit: 4, retryAfterSeconds: 45 }]);
    expect(takeMany('tenant-a', 6, 3)).toEqual([{ ok: true }, { ok: true }, { ok: false, limit: 6, retryAfterSeconds: 45 }]);
  });
});
