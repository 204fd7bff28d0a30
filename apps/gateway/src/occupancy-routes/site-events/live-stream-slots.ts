import type { AccessEnding } from '../../auth/access-endings';

/** How many live streams one gateway process serves: in all, per tenant, per principal. */
export interface LiveStreamCaps {
  maxStreams: number;
  maxPerTenant: number;
  maxPerPrincipal: number;
}

export type LiveStreamCap = 'process' | 'tenant' | 'principal';

/** Who holds a stream, as far as anything that can end it needs to know. */
export interface StreamHolder {
  tenantId: string;
  /** The principal's actor, `user:<id>` or `api-key:<id>`: what the per-principal cap counts. */
  actor: string;
  userId?: string;
  apiKeyId?: string;
  /** When the credential stops being valid (ms since the epoch); absent: never. */
  credentialExpiresAt?: number;
}

/** Why the server ended a stream (sent to the client in the stream's last event). */
export type StreamEndReason = 'credential-expired' | 'credential-revoked' | 'user-removed' | 'tenant-suspended' | 'reconnect';

export type Reservation = { ok: true; slot: LiveStreamSlot } | { ok: false; cap: LiveStreamCap; max: number };

/** setTimeout's longest delay; a later expiry is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The open live streams of one gateway process, counted against the caps. `reserve` is
 * synchronous, so the check and the count happen together: concurrent opens cannot pass the
 * cap between a check and an await. The slot is taken before anything is awaited (the site
 * lookup, NATS) and released in a finally on every path; an ending of access that arrives
 * meanwhile is kept on the slot, so the stream still learns of it.
 */
export class LiveStreamSlots {
  private readonly open = new Set<LiveStreamSlot>();
  private readonly perTenant = new Map<string, number>();
  private readonly perPrincipal = new Map<string, number>();

  constructor(private readonly caps: LiveStreamCaps) {}

  /** Slots taken right now. */
  get size(): number {
    return this.open.size;
  }

  /** Takes a slot, or names the first cap (the caller's own first) that is reached. */
  reserve(holder: StreamHolder): Reservation {
    if ((this.perPrincipal.get(holder.actor) ?? 0) >= this.caps.maxPerPrincipal) return { ok: false, cap: 'principal', max: this.caps.maxPerPrincipal };
    if ((this.perTenant.get(holder.tenantId) ?? 0) >= this.caps.maxPerTenant) return { ok: false, cap: 'tenant', max: this.caps.maxPerTenant };
    if (this.open.size >= this.caps.maxStreams) return { ok: false, cap: 'process', max: this.caps.maxStreams };
    const slot = new LiveStreamSlot(holder, () => this.free(slot));
    this.open.add(slot);
    count(this.perPrincipal, holder.actor, +1);
    count(this.perTenant, holder.tenantId, +1);
    return { ok: true, slot };
  }

  /** Ends the streams an ending of access concerns; answers how many. */
  endFor(ending: AccessEnding): number {
    const [reason, concerns] = endingRule(ending);
    let ended = 0;
    for (const slot of this.open) {
      if (!slot.endReason && concerns(slot.holder)) {
        slot.end(reason);
        ended += 1;
      }
    }
    return ended;
  }

  private free(slot: LiveStreamSlot): void {
    if (!this.open.delete(slot)) return;
    count(this.perPrincipal, slot.holder.actor, -1);
    count(this.perTenant, slot.holder.tenantId, -1);
  }
}

function endingRule(ending: AccessEnding): [StreamEndReason, (holder: StreamHolder) => boolean] {
  switch (ending.kind) {
    case 'api-key-revoked':
      return ['credential-revoked', (holder) => holder.apiKeyId === ending.apiKeyId];
    case 'user-removed':
      return ['user-removed', (holder) => holder.userId === ending.userId && holder.tenantId === ending.tenantId];
    case 'tenant-suspended':
      return ['tenant-suspended', (holder) => holder.tenantId === ending.tenantId];
    case 'announcements-resumed':
      // Endings published while a feed was not following may never arrive: every stream is
      // ended, and the client's reconnect is authenticated again.
      return ['reconnect', () => true];
  }
}

function count(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

/** One reserved stream: ends once (first reason wins), at its credential's expiry at the latest; freed by `release`. */
export class LiveStreamSlot {
  private reason?: StreamEndReason;
  private released = false;
  private readonly listeners: Array<(reason: StreamEndReason) => void> = [];
  private expiryTimer?: NodeJS.Timeout;

  constructor(
    readonly holder: StreamHolder,
    private readonly onRelease: () => void,
  ) {
    if (holder.credentialExpiresAt !== undefined) this.endAt(holder.credentialExpiresAt);
  }

  get endReason(): StreamEndReason | undefined {
    return this.reason;
  }

  /** Calls `listener` once when the slot ends; at once if it has ended already. */
  onEnd(listener: (reason: StreamEndReason) => void): void {
    if (this.reason) listener(this.reason);
    else this.listeners.push(listener);
  }

  end(reason: StreamEndReason): void {
    if (this.reason || this.released) return;
    this.reason = reason;
    clearTimeout(this.expiryTimer);
    for (const listener of this.listeners.splice(0)) listener(reason);
  }

  /** Frees the slot; safe to call more than once. */
  release(): void {
    if (this.released) return;
    this.released = true;
    clearTimeout(this.expiryTimer);
    this.listeners.length = 0;
    this.onRelease();
  }

  private endAt(expiresAt: number): void {
    const wait = expiresAt - Date.now();
    if (wait <= 0) {
      this.end('credential-expired');
      return;
    }
    this.expiryTimer = setTimeout(() => this.endAt(expiresAt), Math.min(wait, MAX_TIMER_MS));
    // A stream's timer must not keep a stopping process alive.
    this.expiryTimer.unref();
  }
}
