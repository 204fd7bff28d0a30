import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { DownlinkEvents } from '@parking/contracts';
import { afterCommit } from '@parking/database';
import type { DownlinkDatabase, DownlinkTransaction } from '@parking/downlink/data-access';
import { DutyCycleBudget, EU868_RX2, retryDelayMs, subBandOf, type AirtimeUse, type RetryPolicy } from '@parking/downlink/signage';
import { ConcurrencyLimit, OutboxWriter } from '@parking/messaging';
import { PeriodicLoop, TENANT_DATABASE } from '@parking/service-runtime';
import { record, stepOf, type CommandRef } from './command-history';
import { SendWakeup } from './command-queue';
import { DOWNLINK_DOOR, DownlinkDoor } from './downlink-door';

export const SENDER_OPTIONS = Symbol('SENDER_OPTIONS');
export interface SenderOptions {
  retry: RetryPolicy;
  /** Share of each gateway's duty-cycle budget kept unused. */
  headroom: number;
  /** A tenant's frames may use at most this much airtime an hour, over all its gateways. */
  tenantAirtimeMsPerHour: number;
  /** How long ChirpStack may hold a frame before dropping it as stale. */
  frameTtlMs: number;
  pollMs: number;
  batch: number;
  /** Commands of one pass in flight at once (8 by default); a gateway's own sends are booked one at a time. */
  concurrency?: number;
  /** Tests drive passes themselves (`pass(now)`). */
  autoStart: boolean;
}

const CLAIM_LEASE_MS = 30_000;
const WINDOW_MS = 3_600_000;
const DEFAULT_CONCURRENCY = 8;
/** How often a pass also drops airtime older than the budgets' hour. */
const PURGE_EVERY_MS = 60_000;
/** A command due now that this pass could not claim is another replica's for a moment. */
const LOCKED_DUE_RETRY_MS = 100;
/** A display whose gateway is not known yet is counted against this one budget. */
const UNKNOWN_GATEWAY = 'unknown';

interface Claimed {
  tenant_id: string;
  id: string;
}

type Due = CommandRef & { state: 'pending' | 'sent'; f_port: number; frame: Uint8Array; airtime_ms: number };

type Plan = { send: { gateway: string; sends: number } } | { wait: Date } | { dead: true };

/**
 * Sends what is due: the queue's commands in priority order, each within its gateway's
 * duty-cycle budget for the RX2 sub-band and its tenant's airtime cap (a frame over budget waits
 * until it fits, never dropped; a refusing gateway waits out its backoff). A sent frame is
 * due again after the retry schedule's wait unless a confirmation comes first; the last one
 * unconfirmed goes to the dead letters and marks the display faulty. Airtime is booked before
 * the call, so concurrent replicas see it.
 */
@Injectable()
export class CommandSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CommandSender.name);
  private readonly loop = new PeriodicLoop('downlink sender', () => this.claimWhatFits());
  private readonly budget: DutyCycleBudget;
  private readonly tenantCap: DutyCycleBudget;
  /** Class C frames go out on RX2: its ETSI sub-band is the one whose budget they spend. */
  private readonly subBand: string;
  /** Sends in flight, over every pass: a frame that falls due while others are on their way takes the next free slot. */
  private readonly slots: ConcurrencyLimit;
  /** The last claim took all it could: more may be due as soon as a send ends. */
  private backlogged = false;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    @Inject(DOWNLINK_DOOR) private readonly door: DownlinkDoor,
    private readonly outbox: OutboxWriter,
    @Inject(SENDER_OPTIONS) private readonly options: SenderOptions,
    @Optional() wakeup?: SendWakeup,
  ) {
    wakeup?.listen((delayMs) => this.loop.wake(delayMs));
    const band = subBandOf(EU868_RX2.frequencyHz);
    this.subBand = band?.name ?? 'unknown';
    this.budget = new DutyCycleBudget({ dutyCycle: band?.dutyCycle ?? 0.01, headroom: options.headroom, windowMs: WINDOW_MS });
    this.tenantCap = new DutyCycleBudget({ dutyCycle: options.tenantAirtimeMsPerHour / WINDOW_MS, headroom: 0, windowMs: WINDOW_MS });
    this.slots = new ConcurrencyLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  onApplicationBootstrap(): void {
    if (this.options.autoStart) this.loop.start(this.options.pollMs, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.slots.idle();
  }

  /** One pass, as tests drive it: claims what is due at `now` (up to a batch), sends it, and answers how many frames went out. */
  async pass(now = new Date()): Promise<number> {
    const { sends } = await this.claimAndSend(now, this.options.batch);
    const sent = (await Promise.all(sends)).filter(Boolean).length;
    await this.purgeOldAirtime(now);
    return sent;
  }

  /**
   * The running sender's pass: claims only what the free slots can send at once and does not
   * wait for those sends, so a frame that falls due meanwhile goes out as soon as a slot frees
   * rather than after the slowest send of a pass.
   */
  private async claimWhatFits(): Promise<void> {
    const free = this.slots.free;
    if (free <= 0) {
      this.backlogged = true;
      return;
    }
    const now = new Date();
    const max = Math.min(this.options.batch, free);
    const { claimed } = await this.claimAndSend(now, max);
    this.backlogged = claimed >= max;
    await this.purgeOldAirtime(now);
    if (!this.backlogged) await this.scheduleNextPass(claimed);
  }

  /** Claims up to `max` commands due at `now` (priority order) and starts sending each as a slot frees. */
  private async claimAndSend(now: Date, max: number): Promise<{ claimed: number; sends: Array<Promise<boolean>> }> {
    const claimed = await this.db.asSystem('timer', (tx) =>
      tx.$queryRaw<Claimed[]>`SELECT tenant_id, id FROM downlink.claim_due_commands(${max}::int, ${CLAIM_LEASE_MS}::int, ${now}::timestamptz)`,
    );
    // What the claim set each due time to: the command is still this pass's while it holds it.
    const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
    const sends = claimed.map(async ({ tenant_id: tenantId, id }) => {
      await this.slots.acquire();
      try {
        return await this.sendOne(tenantId, id, now, leaseUntil);
      } catch (error) {
        // The claim's lease brings it back on a later pass.
        this.logger.warn(`command ${id}: ${(error as Error).message}`);
        return false;
      } finally {
        this.slots.release();
        if (this.backlogged) this.loop.wake(0);
      }
    });
    return { claimed: claimed.length, sends };
  }

  /**
   * Between wakes (a command enqueued in this process, a send that set its retry) the sender
   * sleeps until the next command falls due (a paced frame, airtime freed, a lapsed claim)
   * rather than polling: pollMs is only the safety net.
   */
  private async scheduleNextPass(claimed: number): Promise<void> {
    const [{ next }] = await this.db.asSystem('timer', (tx) => tx.$queryRaw<Array<{ next: Date | null }>>`SELECT downlink.next_command_due() AS next`);
    // One due now but not claimed is held by another replica's claim (or a send of this one's) for a moment.
    if (next) this.loop.wake(Math.max(claimed === 0 ? LOCKED_DUE_RETRY_MS : 0, next.getTime() - Date.now()));
  }

  /** A send set its command's next due time (a retry, a wait for airtime): the sender looks again then. */
  private dueAgainAt(at: Date): void {
    this.loop.wake(at.getTime() - Date.now());
  }

  private lastPurge = 0;

  /** Airtime older than the budgets' hour, dropped once a minute. */
  private async purgeOldAirtime(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    await this.db.asSystem('timer', (tx) => tx.$queryRaw`SELECT downlink.purge_airtime(${new Date(now.getTime() - WINDOW_MS)}::timestamptz)`);
  }

  private async sendOne(tenantId: string, id: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const booked = await this.db.withTenant(tenantId, async (tx) => {
      const [due] = await tx.$queryRaw<Due[]>`
        SELECT c.id, c.display_id, d.dev_eui, c.state, c.sends, c.f_port, c.frame, c.airtime_ms, d.gateway_id, c.queue_item_id
          FROM downlink.commands c JOIN downlink.displays d ON d.id = c.display_id
         WHERE c.id = ${id}::uuid AND c.state IN ('pending', 'sent') AND c.due_at = ${leaseUntil}::timestamptz FOR UPDATE OF c`;
      // Confirmed or superseded since it was claimed, or claimed by another replica once this pass's lease ran out: not ours to send.
      if (!due) return null;
      const plan = await this.plan(tx, tenantId, due, now);
      if ('dead' in plan) {
        await this.deadLetter(tx, tenantId, due, now);
        return null;
      }
      if ('wait' in plan) {
        await tx.$executeRaw`UPDATE downlink.commands SET due_at = ${plan.wait}::timestamptz WHERE id = ${id}::uuid`;
        afterCommit(tx, () => this.dueAgainAt(plan.wait));
        return null;
      }
      const sends = plan.send.sends;
      const wait = retryDelayMs(sends, this.options.retry) ?? this.options.retry.baseSeconds * 1000 * 2 ** (sends - 1);
      const retryAt = new Date(now.getTime() + wait);
      await tx.$executeRaw`
        INSERT INTO downlink.airtime_uses (gateway_id, sub_band, at, airtime_ms) VALUES (${plan.send.gateway}, ${this.subBand}, ${now}::timestamptz, ${due.airtime_ms}::real)`;
      await tx.$executeRaw`INSERT INTO downlink.tenant_airtime (tenant_id, at, airtime_ms) VALUES (${tenantId}::uuid, ${now}::timestamptz, ${due.airtime_ms}::real)`;
      await tx.$executeRaw`
        UPDATE downlink.commands SET state = 'sent', sends = ${sends}::int, sent_at = ${now}::timestamptz, due_at = ${retryAt}::timestamptz,
               gateway_id = ${due.gateway_id}, updated_at = ${now}::timestamptz
         WHERE id = ${id}::uuid`;
      afterCommit(tx, () => this.dueAgainAt(retryAt));
      return { due, sends };
    });
    if (!booked) return false;
    const { due, sends } = booked;
    let queueItemId: string | null = null;
    let failure: string | null = null;
    try {
      ({ queueItemId } = await this.door.enqueue({
        tenantId,
        devEui: due.dev_eui,
        fPort: due.f_port,
        data: Buffer.from(due.frame).toString('base64'),
        confirmed: false,
        flushQueue: true,
        expiresAt: new Date(now.getTime() + this.options.frameTtlMs).toISOString(),
        commandId: `${due.id}:${sends}`,
      }));
    } catch (error) {
      failure = (error as Error).message;
    }
    await this.db.withTenant(tenantId, async (tx) => {
      if (queueItemId) await tx.$executeRaw`UPDATE downlink.commands SET queue_item_id = ${queueItemId} WHERE id = ${due.id}::uuid`;
      else await tx.$executeRaw`UPDATE downlink.commands SET last_error = ${failure} WHERE id = ${due.id}::uuid`;
      await record(tx, tenantId, due.id, failure ? 'failed' : 'sent', { sends, queueItemId, gatewayId: due.gateway_id, error: failure }, now);
      const step = stepOf(tenantId, due, now, { sends, queueItemId, reason: failure });
      await this.outbox.append(tx, failure ? DownlinkEvents.CommandFailedV1 : DownlinkEvents.CommandSentV1, { tenantId, aggregateId: due.display_id, data: step });
    });
    return failure === null;
  }

  /**
   * Whether the command goes now, waits (and until when), or has had its last chance. A
   * gateway's sends are booked one at a time (a transaction lock per gateway), so concurrent
   * sends never overbook its budget; the budgets' sums are indexed, and the single uses are
   * read only to say when a frame over budget fits.
   */
  private async plan(tx: DownlinkTransaction, tenantId: string, due: Due, now: Date): Promise<Plan> {
    if (due.state === 'sent' && due.sends >= this.options.retry.maxSends) return { dead: true };
    const gateway = due.gateway_id ?? UNKNOWN_GATEWAY;
    const since = new Date(now.getTime() - WINDOW_MS);
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`downlink.airtime:${gateway}`}, 0))`;
    const [backoff] = await tx.$queryRaw<Array<{ slow_until: Date }>>`SELECT slow_until FROM downlink.gateway_backoff WHERE gateway_id = ${gateway} AND slow_until > ${now}::timestamptz`;
    if (backoff) return { wait: backoff.slow_until };
    const [{ gateway_ms: gatewayMs, tenant_ms: tenantMs }] = await tx.$queryRaw<Array<{ gateway_ms: number; tenant_ms: number }>>`
      SELECT (SELECT coalesce(sum(airtime_ms), 0)::float8 FROM downlink.airtime_uses
               WHERE gateway_id = ${gateway} AND sub_band = ${this.subBand} AND at > ${since}::timestamptz AND at <= ${now}::timestamptz) AS gateway_ms,
             (SELECT coalesce(sum(airtime_ms), 0)::float8 FROM downlink.tenant_airtime
               WHERE tenant_id = ${tenantId}::uuid AND at > ${since}::timestamptz AND at <= ${now}::timestamptz) AS tenant_ms`;
    if (Number(gatewayMs) + due.airtime_ms > this.budget.budgetMs) {
      const uses = await tx.$queryRaw<Array<{ at: Date; airtime_ms: number }>>`
        SELECT at, airtime_ms FROM downlink.airtime_uses WHERE gateway_id = ${gateway} AND sub_band = ${this.subBand} AND at > ${since}::timestamptz`;
      return this.waitUntil(this.budget, uses, due, now);
    }
    if (Number(tenantMs) + due.airtime_ms > this.tenantCap.budgetMs) {
      const uses = await tx.$queryRaw<Array<{ at: Date; airtime_ms: number }>>`
        SELECT at, airtime_ms FROM downlink.tenant_airtime WHERE tenant_id = ${tenantId}::uuid AND at > ${since}::timestamptz`;
      return this.waitUntil(this.tenantCap, uses, due, now);
    }
    return { send: { gateway, sends: due.sends + 1 } };
  }

  /** When a frame over `budget` fits, from the single uses of its window (an hour on for one larger than the whole budget). */
  private waitUntil(budget: DutyCycleBudget, uses: Array<{ at: Date; airtime_ms: number }>, due: Due, now: Date): Plan {
    const fits = budget.nextSendAt(uses.map(toUse), due.airtime_ms, now.getTime());
    return { wait: new Date(Number.isFinite(fits) ? Math.max(fits, now.getTime() + 1) : now.getTime() + WINDOW_MS) };
  }

  private async deadLetter(tx: DownlinkTransaction, tenantId: string, due: Due, now: Date): Promise<void> {
    const reason = 'retries exhausted';
    await tx.$executeRaw`UPDATE downlink.commands SET state = 'dead', last_error = ${reason}, updated_at = ${now}::timestamptz WHERE id = ${due.id}::uuid`;
    await tx.$executeRaw`UPDATE downlink.displays SET faulty_at = ${now}::timestamptz, faulty_reason = ${`frame unconfirmed after ${due.sends} sends`} WHERE id = ${due.display_id}::uuid`;
    await record(tx, tenantId, due.id, 'dead', { sends: due.sends }, now);
    const step = stepOf(tenantId, due, now, { reason });
    await this.outbox.append(tx, DownlinkEvents.CommandFailedV1, { tenantId, aggregateId: due.display_id, data: step });
    await this.outbox.append(tx, DownlinkEvents.DisplayFaultyV1, { tenantId, aggregateId: due.display_id, data: step });
  }
}

const toUse = (row: { at: Date; airtime_ms: number }): AirtimeUse => ({ atMs: new Date(row.at).getTime(), airtimeMs: Number(row.airtime_ms) });
