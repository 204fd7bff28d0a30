/**
 * Open-loop schedule: request i is due at i / rate seconds after the start, whether or not
 * earlier requests were answered, and its latency counts from that due time (so a stalled
 * server cannot hide its queue: no coordinated omission).
 */
export function dueAtMs(index: number, ratePerSecond: number): number {
  return (index * 1000) / ratePerSecond;
}

/** How many requests are due `elapsedMs` after the start (the first is due at 0), capped at `total`. */
export function dueCount(elapsedMs: number, ratePerSecond: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * ratePerSecond) / 1000) + 1);
}

/** Requests in a step of `seconds` at `ratePerSecond`. */
export function stepSize(ratePerSecond: number, seconds: number): number {
  return Math.max(1, Math.round(ratePerSecond * seconds));
}
