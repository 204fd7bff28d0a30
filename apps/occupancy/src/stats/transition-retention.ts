import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { OccupancyDatabase } from '@parking/occupancy/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';

export const TRANSITION_RETENTION_OPTIONS = Symbol('TRANSITION_RETENTION_OPTIONS');

export interface TransitionRetentionOptions {
  /** Raw transitions older than this many days are deleted; 0 keeps them forever. */
  days: number;
  /** How often to purge; 0 disables the timer (tests call purge() themselves). */
  intervalMs?: number;
  /** Transitions deleted per transaction. */
  batchSize?: number;
}

const DEFAULTS = { days: 90, intervalMs: 3_600_000, batchSize: 5_000 };
const DAY_MS = 86_400_000;

/**
 * Deletes raw transitions past the retention period, in batches, oldest first; the rollups
 * (zone_hour_stats, space_day_stats) stay. Every replica runs the timer, but each batch takes
 * a transaction-level advisory lock inside occupancy.purge_transitions, so one replica works
 * while the others skip the round.
 */
@Injectable()
export class TransitionRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TransitionRetention.name);
  private readonly options: Required<TransitionRetentionOptions>;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    @Optional() @Inject(TRANSITION_RETENTION_OPTIONS) options?: TransitionRetentionOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  onApplicationBootstrap(): void {
    if (this.options.days <= 0 || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.running = this.purge().catch((error: unknown) => this.logger.warn(`transition retention failed: ${(error as Error).message}`));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is past retention as of `now`; answers how many, or null when another replica holds the lock. */
  async purge(now: Date = new Date()): Promise<number | null> {
    if (this.options.days <= 0) return 0;
    const before = new Date(now.getTime() - this.options.days * DAY_MS);
    let total = 0;
    while (!this.stopping) {
      const [{ deleted }] = await this.db.asSystem('timer', (tx) =>
        tx.$queryRaw<Array<{ deleted: number | null }>>`SELECT occupancy.purge_transitions(${before}::timestamptz, ${this.options.batchSize}::int) AS deleted`,
      );
      if (deleted === null) return total > 0 ? total : null;
      total += deleted;
      if (deleted < this.options.batchSize) break;
    }
    return total;
  }
}
