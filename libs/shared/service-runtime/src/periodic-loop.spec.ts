import { PeriodicLoop } from './periodic-loop';

describe('PeriodicLoop', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs one pass at a time, timing the next from the end of the last, and goes on after a failed pass', async () => {
    const started: number[] = [];
    let finish: (() => void) | undefined;
    const loop = new PeriodicLoop('test', () => {
      started.push(Date.now());
      if (started.length === 2) return Promise.reject(new Error('briefly broken'));
      return new Promise<void>((resolve) => (finish = resolve));
    });
    loop.start(1_000, 0);
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(started).toHaveLength(1); // the first pass has not ended
    finish?.();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(started).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(started).toHaveLength(3);
    finish?.();
    await loop.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(started).toHaveLength(3);
    expect(loop.isStopped).toBe(true);
  });

  it('waits for the pass in flight when stopped', async () => {
    let ended = false;
    const loop = new PeriodicLoop('test', async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      ended = true;
    });
    loop.start(1_000, 0);
    await jest.advanceTimersByTimeAsync(0);
    const stopping = loop.stop();
    await jest.advanceTimersByTimeAsync(500);
    await stopping;
    expect(ended).toBe(true);
  });

  it('brings the next pass forward when woken, and runs again right after a pass that a wake came during', async () => {
    const started: number[] = [];
    let finish: (() => void) | undefined;
    const loop = new PeriodicLoop('test', () => {
      started.push(Date.now());
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const t0 = Date.now();
    loop.start(10_000, 10_000);
    loop.wake(200);
    loop.wake(5_000); // a later wake does not postpone an earlier one
    await jest.advanceTimersByTimeAsync(200);
    expect(started.map((t) => t - t0)).toEqual([200]);
    loop.wake(); // during the pass
    await jest.advanceTimersByTimeAsync(3_000);
    finish?.();
    await jest.advanceTimersByTimeAsync(0);
    expect(started.map((t) => t - t0)).toEqual([200, 3_200]);
    finish?.();
    await jest.advanceTimersByTimeAsync(9_999);
    expect(started).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(started).toHaveLength(3);
    finish?.();
    await loop.stop();
    loop.wake();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(started).toHaveLength(3);
  });
});
