/**
 * Tells a background loop in this process that work is due, once the transaction that made it
 * has committed: how a use case wakes a worker it cannot depend on directly (the worker
 * listens; each service subclasses it as its own injection token).
 */
export class WakeSignal {
  private listener?: (delayMs: number) => void;

  listen(listener: (delayMs: number) => void): void {
    this.listener = listener;
  }

  /** The work is due in `delayMs` (at once by default). */
  wake(delayMs = 0): void {
    this.listener?.(Math.max(0, delayMs));
  }
}
