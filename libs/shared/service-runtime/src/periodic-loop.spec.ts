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
});
