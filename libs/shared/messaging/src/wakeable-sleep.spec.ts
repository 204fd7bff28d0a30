import { WakeableSleep } from './wakeable-sleep';

describe('WakeableSleep', () => {
  it('is cut short by a wake', async () => {
    // Fake timers never fire here: the sleep can only end by the wake.
    jest.useFakeTimers();
    try {
      const sleeper = new WakeableSleep();
      const sleeping = sleeper.sleep(5_000);
      sleeper.wake();
      await expect(sleeping).resolves.toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('remembers a wake that came while awake', async () => {
    const sleeper = new WakeableSleep();
    sleeper.wake();
    await expect(sleeper.sleep(5_000)).resolves.toBe(true);
    await expect(sleeper.sleep(5)).resolves.toBe(false);
  });

  it('ignores wakes during a backoff but not a cancel', async () => {
    const sleeper = new WakeableSleep();
    const backoff = sleeper.sleep(30, false);
    sleeper.wake();
    await expect(backoff).resolves.toBe(false);
    const long = sleeper.sleep(5_000, false);
    sleeper.cancel();
    await expect(long).resolves.toBe(true);
    await expect(sleeper.sleep(5_000)).resolves.toBe(true);
  });
});
