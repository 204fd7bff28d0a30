import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { RECONCILIATION_OPTIONS, Reconciler, type ReconciliationOptions } from './reconciler';

const LEASE = 'reconciliation';

/**
 * Reconciles every tenant's connections on an interval. One replica at a time does it, under a
 * lease in PostgreSQL that outlives the interval; a run of a connection already going (someone
 * asked for one) is skipped.
 */
@Injectable()
export class ReconciliationJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReconciliationJobs');
  private readonly holder = `chirpstack-sync-${randomUUID()}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly reconciler: Reconciler,
    @Inject(RECONCILIATION_OPTIONS) private readonly options: ReconciliationOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.autoStart === false) return;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn(`reconciliation pass failed: ${(error as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(loop, this.options.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every connection: answers how many were reconciled, or null when another replica holds the lease. */
  async tick(): Promise<number | null> {
    const leased = await this.db.asSystem('timer', async (tx) => {
      const [{ taken }] = await tx.$queryRaw<Array<{ taken: boolean }>>`SELECT chirpstack.take_job_lease(${LEASE}, ${this.holder}, ${Math.round(this.options.intervalMs * 1.5)}::int) AS taken`;
      return taken;
    });
    if (!leased) return null;
    const connections = await this.db.asSystem('timer', (tx) => tx.$queryRaw<Array<{ tenant_id: string; id: string }>>`SELECT * FROM chirpstack.all_connections()`);
    let reconciled = 0;
    for (const connection of connections) {
      if (this.stopped) break;
      try {
        await this.reconciler.run(connection.tenant_id, connection.id, 'schedule');
        reconciled += 1;
      } catch (error) {
        // A run of it is going already, or it was removed meanwhile.
        this.logger.debug(`connection ${connection.id} not reconciled: ${(error as Error).message}`);
      }
    }
    return reconciled;
  }
}
