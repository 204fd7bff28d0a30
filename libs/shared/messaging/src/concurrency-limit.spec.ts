import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('never runs more than its limit at once and reports idle when all finished', async () => {
    const limit = new ConcurrencyLimit(3);
    let running = 0;
    let peak = 0;
    const task = async () => {
      await limit.acquire();
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      limit.release();
    };

    await Promise.all(Array.from({ length: 12 }, task));
    await limit.idle();

    expect(peak).toBe(3);
    expect(limit.active).toBe(0);
  });

  it('counts the slots a task could take without waiting', async () => {
    const limit = new ConcurrencyLimit(2);
    await limit.acquire();
    expect(limit.free).toBe(1);
    await limit.acquire();
    const waiting = limit.acquire();
    expect(limit.free).toBe(0);
    limit.release();
    await waiting;
    expect(limit.free).toBe(0);
    limit.release();
    limit.release();
    expect(limit.free).toBe(2);
  });

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
  });
});
