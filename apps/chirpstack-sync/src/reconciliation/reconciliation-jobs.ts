import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { PeriodicLoop, RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { allConnections, takeJobLease } from '../jobs/job-lease';
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
  private readonly loop = new PeriodicLoop('ReconciliationJobs', () => this.tick());

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly reconciler: Reconciler,
    @Inject(RECONCILIATION_OPTIONS) private readonly options: ReconciliationOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.autoStart !== false) this.loop.start(this.options.intervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over every connection: answers how many were reconciled, or null when another replica holds the lease. */
  async tick(): Promise<number | null> {
    if (!(await takeJobLease(this.db, LEASE, this.holder, this.options.intervalMs * 1.5))) return null;
    const connections = await allConnections(this.db);
    let reconciled = 0;
    for (const connection of connections) {
      if (this.loop.isStopped) break;
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
