import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { OccupancyDatabase, OccupancyTransaction } from '@parking/occupancy/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { SpaceStateStore } from '../state/space-state-store';

export const SILENCE_TIMER_OPTIONS = Symbol('SILENCE_TIMER_OPTIONS');

export interface SilenceTimerOptions {
  /** How often to look for silent sensors; 0 disables the timer (tests call sweep() themselves). */
  intervalMs: number;
  /** Most spaces marked per sweep; the rest wait for the next one. */
  batchSize?: number;
}

const DEFAULT_OPTIONS: SilenceTimerOptions = { intervalMs: 15_000, batchSize: 500 };

/**
 * Marks spaces whose sensor has been silent past its timeout `unknown` (cause timeout). Runs on
 * every replica: the system path finds candidates across tenants (ids only), then a tenant's
 * spaces are changed in one transaction under FOR UPDATE SKIP LOCKED and checked again, so two
 * replicas, or a reading arriving meanwhile, never make one apply twice. Its locks come in the
 * uplink consumer's order, so the two never wait on each other in a cycle: every space first
 * (in id order), then each zone's and the site's counts once (AvailabilityCounter, in id order).
 */
@Injectable()
export class SilenceTimer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SilenceTimer.name);
  private readonly options: SilenceTimerOptions;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: OccupancyDatabase,
    private readonly spaces: SpaceStateStore,
    @Optional() @Inject(SILENCE_TIMER_OPTIONS) options?: SilenceTimerOptions,
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  onApplicationBootstrap(): void {
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.running = this.sweep().catch((error: unknown) => this.logger.warn(`silence sweep failed: ${(error as Error).message}`));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; answers how many spaces became silent. */
  async sweep(asOf: Date = new Date()): Promise<number> {
    const candidates = await this.db.asSystem('timer', (tx) =>
      tx.$queryRaw<Array<{ tenant_id: string; space_id: string }>>`
        SELECT tenant_id::text, space_id::text FROM occupancy.silent_spaces(${asOf}::timestamptz, ${this.options.batchSize ?? 500}::int)`,
    );
    const byTenant = new Map<string, string[]>();
    for (const { tenant_id, space_id } of candidates) byTenant.set(tenant_id, [...(byTenant.get(tenant_id) ?? []), space_id]);
    let marked = 0;
    for (const [tenantId, spaceIds] of byTenant) {
      marked += await this.db.withTenant(tenantId, async (tx) => {
        const locked = await this.spaces.lockMany(tx, spaceIds, { skipLocked: true });
        const silent = await this.stillSilent(tx, locked.map((space) => space.spaceId), asOf);
        const work = locked.filter((space) => silent.has(space.spaceId)).map((space) => ({ space, inputs: [{ input: { kind: 'silence' as const } }] }));
        const results = await this.spaces.applyToLocked(tx, tenantId, work, asOf);
        return results.filter((result) => result.last?.applied).length;
      });
    }
    return marked;
  }

  /** Checked again under the locks: a reading may have come in since the candidates were listed. */
  private async stillSilent(tx: OccupancyTransaction, spaceIds: string[], asOf: Date): Promise<Set<string>> {
    if (spaceIds.length === 0) return new Set();
    const rows = await tx.$queryRaw<Array<{ space_id: string }>>`
      SELECT st.space_id::text
        FROM occupancy.space_state st
        JOIN occupancy.spaces sp ON sp.id = st.space_id
        JOIN occupancy.sites si ON si.id = sp.site_id
        JOIN occupancy.space_sensors ss ON ss.space_id = st.space_id
        JOIN occupancy.sensors se ON se.dev_eui = ss.dev_eui AND NOT se.removed
       WHERE st.space_id = ANY (${spaceIds}::uuid[]) AND NOT st.sensor_silent
         AND st.last_reading_at < ${asOf}::timestamptz - make_interval(secs => COALESCE(si.heartbeat_timeout_seconds, 2 * se.heartbeat_seconds))`;
    return new Set(rows.map((row) => row.space_id));
  }
}
