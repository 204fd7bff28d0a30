/** One frame a gateway sent: when, and how long it was on air. */
export interface AirtimeUse {
  atMs: number;
  airtimeMs: number;
}

export interface DutyCycleBudgetOptions {
  /** The sub-band's share of time, e.g. 0.1 for 10 %. */
  dutyCycle: number;
  /** ETSI measures duty cycle over one hour. */
  windowMs?: number;
  /** The share of the budget kept unused, so clock drift and frames sent by others do not tip it over (default 0.2). */
  headroom?: number;
}

export const DUTY_CYCLE_WINDOW_MS = 3_600_000;

/**
 * The airtime a gateway may still spend in one sub-band: duty cycle × window, less headroom,
 * over a sliding window. `nextSendAt` says when a frame fits: now, or once enough earlier frames
 * have left the window. Pure: the caller keeps the uses (in the database) and the clock.
 */
export class DutyCycleBudget {
  readonly windowMs: number;
  readonly budgetMs: number;

  constructor(options: DutyCycleBudgetOptions) {
    if (!(options.dutyCycle > 0 && options.dutyCycle <= 1)) throw new RangeError(`duty cycle must be in (0, 1], got ${options.dutyCycle}`);
    const headroom = options.headroom ?? 0.2;
    if (!(headroom >= 0 && headroom < 1)) throw new RangeError(`headroom must be in [0, 1), got ${headroom}`);
    this.windowMs = options.windowMs ?? DUTY_CYCLE_WINDOW_MS;
    this.budgetMs = options.dutyCycle * this.windowMs * (1 - headroom);
  }

  /** Airtime spent within the window that ends at `nowMs`. */
  usedMs(uses: readonly AirtimeUse[], nowMs: number): number {
    return uses.reduce((sum, use) => (use.atMs > nowMs - this.windowMs && use.atMs <= nowMs ? sum + use.airtimeMs : sum), 0);
  }

  /**
   * The earliest time at or after `nowMs` when a frame of `airtimeMs` keeps the window within
   * budget; Infinity for a frame larger than the whole budget.
   */
  nextSendAt(uses: readonly AirtimeUse[], airtimeMs: number, nowMs: number): number {
    if (airtimeMs > this.budgetMs) return Infinity;
    const inWindow = uses.filter((use) => use.atMs > nowMs - this.windowMs && use.atMs <= nowMs).sort((a, b) => a.atMs - b.atMs);
    let used = inWindow.reduce((sum, use) => sum + use.airtimeMs, 0);
    if (used + airtimeMs <= this.budgetMs) return nowMs;
    // Frames leave the window oldest first; the frame fits once enough of them have left.
    for (const use of inWindow) {
      used -= use.airtimeMs;
      if (used + airtimeMs <= this.budgetMs) return use.atMs + this.windowMs;
    }
    return nowMs;
  }
}
