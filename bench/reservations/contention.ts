import { randomUUID } from 'node:crypto';

/** One booking request as the bench sends it. */
export interface BookingRequest {
  /** Which contention round it belongs to: requests of one round compete for the same windows. */
  round: number;
  spaceIndex: number;
  spaceId: string;
  startTime: string;
  endTime: string;
  idempotencyKey: string;
}

export interface ContentionOptions {
  spaceIds: readonly string[];
  /** Requests per round, all on the same spaces and the same stretch of time. */
  contenders: number;
  /** Start of the first round's stretch. */
  firstStart: Date;
  /** Windows start and end on this grid. */
  slotMinutes?: number;
  /** How many grid points a window may start at within its round. */
  startSlots?: number;
  /** Shortest and longest window, in slots. */
  minSlots?: number;
  maxSlots?: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
  /** Injectable so tests can read the keys. */
  key?: () => string;
}

/** mulberry32: a small seeded generator, so two runs book the same pattern. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The contention pattern: requests come in rounds of `contenders`; each picks one of the
 * spaces and a window of 1–3 slots starting at one of `startSlots` grid points of the round's
 * stretch, so the windows of a round overlap one another and most requests of a round race
 * for a window someone else wants too. Rounds lie one after another in time and never
 * overlap, so the pattern stays the same however long a run lasts (a booked-out calendar
 * would turn every later request into a conflict).
 */
export class ContentionSchedule {
  private readonly slotMs: number;
  private readonly startSlots: number;
  private readonly minSlots: number;
  private readonly maxSlots: number;
  private readonly random: () => number;
  private readonly key: () => string;
  private issued = 0;

  constructor(private readonly options: ContentionOptions) {
    if (options.spaceIds.length === 0) throw new Error('a contention schedule needs at least one space');
    if (options.contenders < 1) throw new Error('a round needs at least one contender');
    this.slotMs = (options.slotMinutes ?? 30) * 60_000;
    this.startSlots = options.startSlots ?? 4;
    this.minSlots = options.minSlots ?? 1;
    this.maxSlots = options.maxSlots ?? 3;
    if (this.minSlots < 1 || this.maxSlots < this.minSlots) throw new Error('window lengths must satisfy 1 <= minSlots <= maxSlots');
    this.random = options.random ?? Math.random;
    this.key = options.key ?? randomUUID;
  }

  /** Length of one round's stretch of time: no window of a round reaches into the next. */
  get roundMs(): number {
    return (this.startSlots - 1 + this.maxSlots) * this.slotMs;
  }

  /** Requests handed out so far. */
  get count(): number {
    return this.issued;
  }

  next(): BookingRequest {
    const index = this.issued++;
    const round = Math.floor(index / this.options.contenders);
    const spaceIndex = this.pick(this.options.spaceIds.length);
    const startSlot = this.pick(this.startSlots);
    const slots = this.minSlots + this.pick(this.maxSlots - this.minSlots + 1);
    const roundStart = this.options.firstStart.getTime() + round * this.roundMs;
    const start = roundStart + startSlot * this.slotMs;
    return {
      round,
      spaceIndex,
      spaceId: this.options.spaceIds[spaceIndex],
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + slots * this.slotMs).toISOString(),
      idempotencyKey: this.key(),
    };
  }

  take(count: number): BookingRequest[] {
    return Array.from({ length: count }, () => this.next());
  }

  private pick(n: number): number {
    return Math.min(n - 1, Math.floor(this.random() * n));
  }
}

/** Half-open windows [start, end) overlap when each starts before the other ends. */
export function overlaps(a: Pick<BookingRequest, 'startTime' | 'endTime'>, b: Pick<BookingRequest, 'startTime' | 'endTime'>): boolean {
  return Date.parse(a.startTime) < Date.parse(b.endTime) && Date.parse(b.startTime) < Date.parse(a.endTime);
}

/**
 * What a single-file booking desk would answer, request by request in order: the share of
 * conflicts the pattern produces when nothing runs concurrently (the stack's own share differs
 * only by which of two racing requests wins).
 */
export function sequentialOutcome(requests: readonly BookingRequest[]): { created: number; conflicts: number } {
  const booked = new Map<string, BookingRequest[]>();
  let created = 0;
  for (const request of requests) {
    const taken = booked.get(request.spaceId) ?? [];
    if (taken.some((other) => overlaps(other, request))) continue;
    taken.push(request);
    booked.set(request.spaceId, taken);
    created++;
  }
  return { created, conflicts: requests.length - created };
}

/** The first instant of the UTC day `days` after `now`'s: far enough ahead that no check-in window is open. */
export function startOfDayAhead(now: Date, days: number): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(day + days * 86_400_000);
}
