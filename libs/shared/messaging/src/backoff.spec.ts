import { redeliveryDelay } from './backoff';

describe('redeliveryDelay', () => {
  it('grows by the factor with each delivery and stops at the maximum', () => {
    const policy = { initialMs: 100, factor: 3, maxMs: 2_000 };
    expect([1, 2, 3, 4, 5].map((n) => redeliveryDelay(n, policy))).toEqual([100, 300, 900, 2_000, 2_000]);
  });

  it('defaults to 1 s doubling up to a minute', () => {
    expect(redeliveryDelay(1)).toBe(1_000);
    expect(redeliveryDelay(2)).toBe(2_000);
    expect(redeliveryDelay(30)).toBe(60_000);
  });
});
