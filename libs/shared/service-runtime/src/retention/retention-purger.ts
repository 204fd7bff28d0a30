import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { STREAMS, streamLimitsOf, type StreamLimitOverrides, type StreamSpec } from '@parking/contracts';
import type { TenantDatabase } from '@parking/database';
import { PeriodicLoop } from '../periodic-loop';

/** One kind of row a service forgets: a rule of `<schema>.retention_rules`, and how long its rows stay. */
export interface RetentionTarget {
  target: string;
  /** Rows older than this (by the rule's time column) are deleted; 0 keeps them forever. */
  keepMs: number;
  /** Only rows whose subject starts with this (the inbox, one stream at a time). */
  subjectPrefix?: string;
}

export interface RetentionOptions {
  /** Time between rounds; 0 runs none (tests call purge() themselves). */
  intervalMs: number;
  /** Rows deleted per transaction: short transactions, so purging never holds up the hot path. */
  batchSize?: number;
}

/** What a round deleted, per target. */
export type RetentionRound = Record<string, number>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DEFAULT_BATCH = 5_000;

/** RETENTION_INTERVAL_MINUTES's default: a round an hour, the first a minute after start. */
export const DEFAULT_RETENTION_INTERVAL_MS = 3_600_000;
const FIRST_ROUND_MS = 60_000;

/**
 * What every schema forgets: published outbox rows after `outboxHours` (the event lives on in its
 * stream), and inbox rows once their stream no longer holds the event (only then can it not come
 * again), per stream as NATS_STREAM_LIMITS sets it.
 */
export function platformRetentionTargets(options: { outboxHours: number; streamLimits?: StreamLimitOverrides }): RetentionTarget[] {
  const streams: StreamSpec[] = Object.values(STREAMS);
  return [
    { target: 'outbox', keepMs: options.outboxHours * HOUR_MS },
    ...streams.flatMap((stream) =>
      stream.subjects.map((subject) => ({ target: 'inbox', keepMs: streamLimitsOf(stream, options.streamLimits).maxAgeMs, subjectPrefix: subject.replace(/>$/, '') })),
    ),
  ];
}

/** Days as a keep time: 0 stays 0 (forever). */
export function retentionDays(days: number): number {
  return days * DAY_MS;
}

/**
 * Deletes rows past their retention, a batch per transaction, target by target, through
 * `<schema>.purge_retained`. Every replica runs the timer; the schema's retention lock lets one
 * of them work at a time, and a replica that finds it taken leaves the round to the holder.
 */
export class RetentionPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionPurger.name);
  private readonly loop = new PeriodicLoop('retention', () => this.round());
  private readonly batchSize: number;

  constructor(
    private readonly db: TenantDatabase,
    private readonly targets: readonly RetentionTarget[],
    private readonly options: RetentionOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
  }

  onApplicationBootstrap(): void {
    if (this.options.intervalMs > 0) this.loop.start(this.options.intervalMs, Math.min(FIRST_ROUND_MS, this.options.intervalMs));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Deletes what is past retention as of `now`; answers the rows per target, or null when another replica holds the lock. */
  async purge(now: Date = new Date()): Promise<RetentionRound | null> {
    const round: RetentionRound = {};
    for (const { target, keepMs, subjectPrefix } of this.targets) {
      if (this.loop.isStopped) break;
      if (keepMs <= 0) continue;
      const before = new Date(now.getTime() - keepMs);
      round[target] ??= 0;
      for (;;) {
        const deleted = await this.batch(target, before, subjectPrefix ?? null);
        if (deleted === null) return null;
        round[target] += deleted;
        if (deleted < this.batchSize || this.loop.isStopped) break;
      }
    }
    return round;
  }

  private async round(): Promise<void> {
    const round = await this.purge();
    const deleted = Object.entries(round ?? {}).filter(([, n]) => n > 0);
    if (deleted.length > 0) this.logger.log(`retention deleted ${deleted.map(([target, n]) => `${n} ${target}`).join(', ')}`);
  }

  private async batch(target: string, before: Date, subjectPrefix: string | null): Promise<number | null> {
    const rows = await this.db.asSystem('retention', (tx) =>
      tx.$queryRawUnsafe<Array<{ deleted: number | null }>>(
        `SELECT "${this.db.schema}".purge_retained($1, $2::timestamptz, $3::int, $4::text) AS deleted`,
        target,
        before,
        this.batchSize,
        subjectPrefix,
      ),
    );
    return rows[0].deleted;
  }
}
