import { Logger } from '@nestjs/common';

/**
 * Runs `pass` every `intervalMs`, one pass at a time (the next is timed from the end of the
 * last), until stopped; a failed pass is logged and the next runs on time. For the services'
 * periodic jobs; which replica does the work is the pass's business (a lease).
 */
export class PeriodicLoop {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  /** The first pass after `firstDelayMs` (0: at once). */
  start(intervalMs: number, firstDelayMs = intervalMs): void {
    const loop = () => {
      if (this.stopped) return;
      this.running = this.pass()
        .catch((error: unknown) => this.logger.warn(`${this.name} pass failed: ${(error as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, intervalMs);
        });
    };
    this.timer = setTimeout(loop, firstDelayMs);
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
}
