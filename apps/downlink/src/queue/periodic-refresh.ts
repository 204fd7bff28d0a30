import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { DownlinkDatabase } from '@parking/downlink/data-access';
import { PeriodicLoop, TENANT_DATABASE } from '@parking/service-runtime';
import { SENDER_OPTIONS, type SenderOptions } from './command-sender';
import { SignPlanner } from './sign-planner';

export const REFRESH_OPTIONS = Symbol('REFRESH_OPTIONS');
export interface RefreshOptions {
  /** A display is sent what it should show again once this long has passed without a confirmed frame or a command. */
  intervalMs: number;
}

const BATCH = 100;

/**
 * Periodic refresh, the queue's lowest priority: every display that neither confirmed a frame
 * nor got a command for an interval is sent what it should show again (a sign that lost power,
 * or whose confirmation never came back, catches up). One pass a minute.
 */
@Injectable()
export class PeriodicRefresh implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop = new PeriodicLoop('display refresh', () => this.pass());

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: DownlinkDatabase,
    private readonly planner: SignPlanner,
    @Inject(REFRESH_OPTIONS) private readonly refresh: RefreshOptions,
    @Inject(SENDER_OPTIONS) private readonly sender: SenderOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.sender.autoStart) this.loop.start(60_000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Plans a refresh for the displays due one at `now`; answers how many were planned. */
  async pass(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.refresh.intervalMs);
    const due = await this.db.asSystem('timer', (tx) =>
      tx.$queryRaw<Array<{ tenant_id: string; id: string }>>`SELECT tenant_id, id FROM downlink.displays_due_refresh(${before}::timestamptz, ${BATCH}::int)`,
    );
    for (const { tenant_id: tenantId, id } of due) {
      await this.db.withTenant(tenantId, (tx) => this.planner.planDisplay(tx, id, 'refresh', now));
    }
    return due.length;
  }
}
