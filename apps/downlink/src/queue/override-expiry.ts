import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { DownlinkDatabase } from '@parking/downlink/data-access';
import { PeriodicLoop, TENANT_DATABASE } from '@parking/service-runtime';
import { SENDER_OPTIONS, type SenderOptions } from './command-sender';
import { SignPlanner } from './sign-planner';

const BATCH = 100;
/** The longest sleep: a safety net, since every pass and every new override say when the next runs out. */
const SAFETY_PASS_MS = 60_000;

/**
 * Ends overrides on time: asleep until the next override runs out (an override set in this
 * process says when, `expireBy`), then each display whose override ran out loses it and is
 * planned again from the policy (its frame queued unless the sign already shows it).
 */
@Injectable()
export class OverrideExpiry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PeriodicLoop('override expiry', () => this.pass());

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    private readonly planner: SignPlanner,
    @Inject(SENDER_OPTIONS) private readonly options: SenderOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.autoStart) this.loop.start(SAFETY_PASS_MS, 1_000);
  }

  /** An override committed in this process runs out at `at`: the pass then is not missed. */
  expireBy(at: Date): void {
    this.loop.wake(at.getTime() - Date.now());
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Displays whose override ran out by `now`, back on the policy; answers how many. */
  async pass(now = new Date()): Promise<number> {
    const expired = await this.db.asSystem('timer', (tx) =>
      tx.$queryRaw<Array<{ tenant_id: string; id: string }>>`SELECT tenant_id, id FROM downlink.expired_overrides(${now}::timestamptz, ${BATCH}::int)`,
    );
    for (const { tenant_id: tenantId, id } of expired) {
      await this.db.withTenant(tenantId, async (tx) => {
        const cleared = await tx.$executeRaw`
          UPDATE downlink.displays SET override_wish = NULL, override_reason = NULL, override_expires_at = NULL, override_by = NULL, updated_at = ${now}::timestamptz
           WHERE id = ${id}::uuid AND override_expires_at <= ${now}::timestamptz`;
        if (cleared > 0) await this.planner.planDisplay(tx, id, 'state', now);
      });
    }
    await this.scheduleNextPass(expired.length);
    return expired.length;
  }

  private async scheduleNextPass(expired: number): Promise<void> {
    if (expired >= BATCH) return this.loop.wake(0);
    const [{ next }] = await this.db.asSystem('timer', (tx) => tx.$queryRaw<Array<{ next: Date | null }>>`SELECT downlink.next_override_expiry() AS next`);
    if (next) this.loop.wake(next.getTime() - Date.now());
  }
}
