/**
 * Remembers for a short while that something was refused (an unknown API key or webhook token,
 * by a digest or lookup key, never the secret itself), so a sender repeating it costs no
 * further question to identity. Bounded: past `maxEntries` the oldest entry goes.
 */
export class RefusalCache {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(key);
    return false;
  }

  add(key: string): void {
    if (this.ttlMs <= 0) return;
    this.until.delete(key);
    if (this.until.size >= this.maxEntries) this.until.delete(this.until.keys().next().value as string);
    this.until.set(key, this.now() + this.ttlMs);
  }

  delete(key: string): void {
    this.until.delete(key);
  }
}
