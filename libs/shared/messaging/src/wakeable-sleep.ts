/** A sleep that a wake-up signal can cut short; a wake that arrives while awake is kept. */
export class WakeableSleep {
  private woken = false;
  private cancelled = false;
  private interruptible = true;
  private cutShort?: () => void;

  wake(): void {
    this.woken = true;
    if (this.interruptible) this.cutShort?.();
  }

  /** Ends the current sleep and makes every later one return at once: for shutdown. */
  cancel(): void {
    this.cancelled = true;
    this.cutShort?.();
  }

  /** Resolves true when woken (or cancelled) before `ms` passed; `wakeable` false ignores wakes. */
  sleep(ms: number, wakeable = true): Promise<boolean> {
    if (this.cancelled) return Promise.resolve(true);
    if (wakeable && this.woken) {
      this.woken = false;
      return Promise.resolve(true);
    }
    this.interruptible = wakeable;
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const finish = (woken: boolean): void => {
        clearTimeout(timer);
        this.cutShort = undefined;
        if (woken && wakeable) this.woken = false;
        resolve(woken);
      };
      timer = setTimeout(() => finish(false), ms);
      this.cutShort = () => finish(true);
    });
  }
}
