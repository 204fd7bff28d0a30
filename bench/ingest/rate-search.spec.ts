import { searchSustainableRate, type RateSearchOptions, type StepVerdict } from './rate-search';

const OPTIONS: RateSearchOptions = { startRate: 250, maxRate: 16_000, minRate: 10, bisectSteps: 3, precision: 0.1, confirmFailures: false };

/** A server that sustains anything up to `limit` requests per second. */
const serverUpTo = (limit: number, probed: number[] = []) => async (rate: number): Promise<StepVerdict> => {
  probed.push(rate);
  return { rate, passed: rate <= limit, note: '' };
};

describe('searchSustainableRate', () => {
  it('doubles until a step fails, then bisects towards the limit', async () => {
    const probed: number[] = [];
    const result = await searchSustainableRate(serverUpTo(3_000, probed), OPTIONS);
    expect(probed).toEqual([250, 500, 1000, 2000, 4000, 3000, 3500, 3250]);
    expect(result).toMatchObject({ sustainable: 3000, capped: false });
    expect(result.steps).toHaveLength(8);
  });

  it('stops bisecting once the bracket is within the precision', async () => {
    const probed: number[] = [];
    await searchSustainableRate(serverUpTo(1_900, probed), { ...OPTIONS, bisectSteps: 10 });
    // 1000 passes, 2000 fails; 1500, 1750, 1875 pass, and (2000 - 1875) / 2000 < 10 %: done.
    expect(probed).toEqual([250, 500, 1000, 2000, 1500, 1750, 1875]);
  });

  it('halves while the start rate fails', async () => {
    const probed: number[] = [];
    const result = await searchSustainableRate(serverUpTo(70, probed), OPTIONS);
    expect(probed.slice(0, 3)).toEqual([250, 125, 63]);
    expect(result.sustainable).toBeGreaterThanOrEqual(63);
    expect(result.sustainable).toBeLessThanOrEqual(70);
  });

  it('reports 0 when nothing down to the minimum rate passes', async () => {
    const result = await searchSustainableRate(serverUpTo(0), OPTIONS);
    expect(result).toMatchObject({ sustainable: 0, capped: false });
    expect(Math.min(...result.steps.map((s) => s.rate))).toBeGreaterThanOrEqual(OPTIONS.minRate);
  });

  it('says so when even the maximum rate passes', async () => {
    const result = await searchSustainableRate(serverUpTo(Infinity), { ...OPTIONS, maxRate: 3_000 });
    expect(result).toMatchObject({ sustainable: 3000, capped: true });
    expect(result.steps.map((s) => s.rate)).toEqual([250, 500, 1000, 2000, 3000]);
  });

  it('with confirmFailures, a single failed step is probed again and a pass counts', async () => {
    let calls = 0;
    // 1000/s fails the first time only, like a step hit by a stall.
    const flaky = async (rate: number): Promise<StepVerdict> => ({ rate, passed: rate <= 2_000 && !(rate === 1000 && calls++ === 0), note: '' });
    const result = await searchSustainableRate(flaky, { ...OPTIONS, confirmFailures: true });
    expect(result.steps.filter((s) => s.rate === 1000).map((s) => s.passed)).toEqual([false, true]);
    expect(result.sustainable).toBe(2000);
  });
});
