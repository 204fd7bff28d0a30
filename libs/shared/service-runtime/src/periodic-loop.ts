import { Logger } from '@nestjs/common';

/**
 * Runs `pass` every `intervalMs`, one pass at a time (the next is timed from the end of the
 * last), until stopped; a failed pass is logged and the next runs on time. For the services'
 * periodic jobs; which replica does the work is the pass's business (a lease). `wake` brings
 * the next pass forward, for work that arrives between passes.
 */
export class PeriodicLoop {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private inPass = false;
  private intervalMs = 0;
  /** When the timer fires (epoch ms), while one is set. */
  private nextAt?: number;
  /** A wake that came during a pass: the next pass starts by then at the latest. */
  private wakeAt?: number;
  private stopped = false;
  private started = false;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  /** The first pass after `firstDelayMs` (0: at once). */
  start(intervalMs: number, firstDelayMs = intervalMs): void {
    this.intervalMs = intervalMs;
    this.started = true;
    this.schedule(firstDelayMs);
  }

  /** The next pass runs within `delayMs` (at once by default), unless one is due sooner. */
  wake(delayMs = 0): void {
    if (!this.started || this.stopped) return;
    const at = Date.now() + Math.max(0, delayMs);
    if (this.inPass) {
      this.wakeAt = Math.min(this.wakeAt ?? Infinity, at);
      return;
    }
    if (this.nextAt !== undefined && this.nextAt <= at) return;
    this.schedule(at - Date.now());
  }

  /** No pass starts after this; resolves once the one running (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = Date.now() + delayMs;
    this.timer = setTimeout(() => this.run(), delayMs);
  }

  private run(): void {
    if (this.stopped) return;
    this.nextAt = undefined;
    this.inPass = true;
    this.running = this.pass()
      .catch((error: unknown) => this.logger.warn(`${this.name} pass failed: ${(error as Error).message}`))
      .finally(() => {
        this.inPass = false;
        if (this.stopped) return;
        const woken = this.wakeAt;
        this.wakeAt = undefined;
        this.schedule(woken === undefined ? this.intervalMs : Math.min(this.intervalMs, Math.max(0, woken - Date.now())));
      });
  }
}
