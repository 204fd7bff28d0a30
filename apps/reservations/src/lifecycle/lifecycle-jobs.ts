import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ExpireOldAnswer } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { PeriodicLoop, RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { findReservation, RESERVATION_COLUMNS, RESERVATION_FROM, type ReservationRow } from '../bookings/reservation-rows';
import { loadSiteTerms } from '../pricing/site-terms';
import { ReservationTransitions } from './reservation-transitions';
import { SensorBacklog } from './sensor-backlog';

export const LIFECYCLE_OPTIONS = Symbol('LIFECYCLE_OPTIONS');
export interface LifecycleOptions {
  /** How often the jobs look for due bookings (LIFECYCLE_INTERVAL_MS; at most a minute). */
  intervalMs: number;
  /** Off in tests that drive `tick` themselves. */
  autoStart?: boolean;
}

const LEASE = 'lifecycle';
const BATCH = 200;
/** How long after a window closes (or a booking ends) the sensors' word is awaited: the webhook-to-state path takes about 100 ms. */
export const SENSOR_LAG_MS = 5_000;

interface Due {
  tenant_id: string;
  id: string;
  due: 'start' | 'no_show' | 'end';
}

/**
 * The lifecycle jobs: holding the space when the check-in window opens, no-shows when it
 * closes, and, at a checked-in booking's end, completion (space free) or overstay (still
 * occupied). One replica at a time runs them, under a lease in PostgreSQL. They judge by the
 * bookings' own times, so after downtime they settle what fell due meanwhile; and they wait
 * for the sensors' backlog first, so an arrival reported during the downtime is a check-in,
 * not a no-show.
 */
@Injectable()
export class LifecycleJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly holder = `reservations-${randomUUID()}`;
  private readonly loop = new PeriodicLoop('LifecycleJobs', () => this.tick());

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly transitions: ReservationTransitions,
    @Inject(LIFECYCLE_OPTIONS) private readonly options: LifecycleOptions,
    private readonly backlog: SensorBacklog,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.autoStart !== false) this.loop.start(this.options.intervalMs, 0);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: answers how many bookings moved, or null when another replica holds the lease. */
  async tick(now = new Date()): Promise<number | null> {
    const leased = await this.db.asSystem('timer', async (tx) => {
      const [{ taken }] = await tx.$queryRaw<Array<{ taken: boolean }>>`SELECT reservations.take_job_lease(${LEASE}, ${this.holder}, ${this.options.intervalMs * 3}::int) AS taken`;
      return taken;
    });
    if (!leased) return null;
    const settledOnly = !(await this.backlog.caughtUp());
    // An arrival may still be on its way from the webhook when a window closes: judge a little later.
    const judgedAt = new Date(now.getTime() - SENSOR_LAG_MS);
    const dueAt = (when: Date) => this.db.asSystem('timer', (tx) => tx.$queryRaw<Due[]>`SELECT * FROM reservations.due_reservations(${when}::timestamptz, ${BATCH}::int)`);
    let moved = 0;
    for (;;) {
      const holds = (await dueAt(now)).filter((d) => d.due === 'start');
      // Without the sensors' backlog read, only the space holds go ahead: no-shows and ends wait.
      const judged = settledOnly ? [] : (await dueAt(judgedAt)).filter((d) => d.due !== 'start');
      let changed = 0;
      for (const item of [...holds, ...judged]) if (await this.settle(item, now)) changed += 1;
      moved += changed;
      if ((holds.length < BATCH && judged.length < BATCH) || changed === 0) break;
    }
    await this.db.asSystem('timer', (tx) => tx.$queryRaw`SELECT reservations.purge_expired(${now}::timestamptz, 1000)`);
    return moved;
  }

  private settle(item: Due, now: Date): Promise<boolean> {
    return this.db.withTenant(item.tenant_id, async (tx) => {
      const row = await findReservation(tx, item.id, { forUpdate: true });
      if (item.due === 'start') return this.transitions.start(tx, row, now);
      const terms = await loadSiteTerms(tx, row.site_id);
      // A no-show is dated when the window closed, not when the job noticed.
      if (item.due === 'no_show') return this.transitions.noShow(tx, row, row.check_in_closes_at, terms);
      const [space] = await tx.$queryRaw<Array<{ state: string; state_changed_at: Date | null }>>`
        SELECT state, state_changed_at FROM reservations.spaces WHERE id = ${row.space_id}::uuid`;
      if (space?.state === 'occupied') return this.transitions.overstay(tx, row, now);
      // Free at the end (or the sensor is silent): the booking completes at its end.
      return this.transitions.complete(tx, row, row.end_time, terms);
    });
  }

  /** v6 expire-old: every tenant's bookings past their end that never checked in. */
  async expireOld(actor: string): Promise<ExpireOldAnswer> {
    const now = new Date();
    return this.db.asPlatformAdmin(actor, 'v6 expire-old: bookings past their end', async (tx) => {
      const rows = await tx.$queryRaw<ReservationRow[]>`
        SELECT ${RESERVATION_COLUMNS} FROM ${RESERVATION_FROM}
         WHERE r.state = 'confirmed' AND upper(r.period) <= ${now}::timestamptz FOR UPDATE OF r`;
      let expired = 0;
      for (const row of rows) if (await this.transitions.expire(tx, row, now)) expired += 1;
      return { expired };
    });
  }
}
