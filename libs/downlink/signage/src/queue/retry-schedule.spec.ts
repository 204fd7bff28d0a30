import fc from 'fast-check';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry-schedule';

describe('retry schedule', () => {
  it('waits 2, 4, 8, 16 and 32 s between six sends, then stops', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((sends) => retryDelayMs(sends, DEFAULT_RETRY_POLICY, () => 0.5));
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, null]);
  });

  it('spreads each wait by the jitter, never beyond it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (sends, r) => {
        const base = 2_000 * 2 ** (sends - 1);
        const wait = retryDelayMs(sends, DEFAULT_RETRY_POLICY, () => r) as number;
        expect(wait).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(wait).toBeLessThanOrEqual(Math.ceil(base * 1.2));
      }),
    );
  });

  it('takes a configured number of sends', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxSends: 2 };
    expect(retryDelayMs(1, policy, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(2, policy)).toBeNull();
    expect(() => retryDelayMs(0)).toThrow(/positive integer/);
  });
});
