import { loginDelayMs } from './login-throttle';

describe('the delay after failed sign-ins', () => {
  const policy = { freeFailures: 3, baseMs: 1_000, maxMs: 60_000 };

  it('is none while the failures are within the free ones', () => {
    expect([0, 1, 2].map((failures) => loginDelayMs(failures, policy))).toEqual([0, 0, 0]);
  });

  it('doubles with each failure after them, up to its maximum', () => {
    expect([3, 4, 5, 6, 7, 8, 9, 10].map((failures) => loginDelayMs(failures, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(loginDelayMs(1_000_000, policy)).toBe(60_000);
  });
});
