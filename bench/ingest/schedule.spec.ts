import { dueAtMs, dueCount, stepSize } from './schedule';

describe('open-loop schedule', () => {
  it('spaces requests evenly from the start', () => {
    expect([0, 1, 2, 10].map((i) => dueAtMs(i, 1000))).toEqual([0, 1, 2, 10]);
    expect(dueAtMs(3, 250)).toBe(12);
  });

  it('counts what is due whatever was answered, capped at the step size', () => {
    expect(dueCount(-1, 1000, 100)).toBe(0);
    expect(dueCount(0, 1000, 100)).toBe(1);
    expect(dueCount(9.99, 1000, 100)).toBe(10);
    expect(dueCount(10, 1000, 100)).toBe(11);
    expect(dueCount(5_000, 1000, 100)).toBe(100);
  });

  it('agrees with dueAtMs: request i is due exactly when the count passes i', () => {
    for (const rate of [7, 250, 1234, 16000]) {
      for (const i of [0, 1, 17, 999]) {
        expect(dueCount(dueAtMs(i, rate), rate, Infinity)).toBeGreaterThan(i);
        expect(dueCount(dueAtMs(i, rate) - 1e-6, rate, Infinity)).toBeLessThanOrEqual(i);
      }
    }
  });

  it('sizes a step by rate and duration, at least one request', () => {
    expect(stepSize(1000, 3)).toBe(3000);
    expect(stepSize(0.1, 1)).toBe(1);
  });
});
