import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { WakeableSleep } from '@parking/messaging';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { DEVICE_SYNC_OPTIONS, DeviceSync, type DeviceSyncOptions } from './device-sync';
import { DeviceSyncWakeup } from './device-sync-wakeup';

/** A device due now that a pass could not claim is held by another replica's claim for a moment. */
const LOCKED_DUE_RETRY_MS = 100;

/**
 * Brings ChirpStack to every device that is due: woken by the device events' consumer and a new
 * connection, and
 * asleep until the next device falls due (a retry after its backoff) otherwise; pollMs is the
 * longest sleep. Replicas share the work:
 * each claims a batch of due devices, which the others skip while the claim lasts.
 */
@Injectable()
export class DeviceSyncWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeviceSyncWorker');
  private readonly sleeper = new WakeableSleep();
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly sync: DeviceSync,
    @Inject(DEVICE_SYNC_OPTIONS) private readonly options: DeviceSyncOptions,
    @Optional() wakeup?: DeviceSyncWakeup,
  ) {
    wakeup?.listen(() => this.wake());
  }

  onApplicationBootstrap(): void {
    if (this.options.autoStart === false) return;
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.sleeper.cancel();
    await this.running;
  }

  wake(): void {
    this.sleeper.wake();
  }

  /** Attempts every device due now; answers how many were attempted. */
  async drain(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const due = await this.db.asSystem('timer', (tx) =>
        tx.$queryRaw<Array<{ tenant_id: string; dev_eui: string }>>`SELECT * FROM chirpstack.claim_due_devices(${this.options.batch}::int, ${this.options.claimMs}::int)`,
      );
      for (let i = 0; i < due.length; i += this.options.concurrency) {
        await Promise.all(due.slice(i, i + this.options.concurrency).map((d) => this.attempt(d.tenant_id, d.dev_eui)));
      }
      attempted += due.length;
      if (due.length < this.options.batch || this.stopped) return attempted;
    }
  }

  private async attempt(tenantId: string, devEui: string): Promise<void> {
    try {
      await this.sync.attempt(tenantId, devEui);
    } catch (error) {
      // The claim lapses and the device is tried again.
      this.logger.warn(`device ${devEui}: sync attempt failed: ${(error as Error).message}`);
    }
  }

  /** How long until a device can next be claimed (pollMs when none waits): an idle worker sleeps that long rather than polling. */
  async nextDueInMs(): Promise<number> {
    const [{ next }] = await this.db.asSystem('timer', (tx) => tx.$queryRaw<Array<{ next: Date | null }>>`SELECT chirpstack.next_device_due() AS next`);
    if (!next) return this.options.pollMs;
    // One due now that drain could not claim is another replica's for a moment.
    return Math.min(this.options.pollMs, Math.max(LOCKED_DUE_RETRY_MS, next.getTime() - Date.now()));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let sleepMs = this.options.pollMs;
      try {
        await this.drain();
        sleepMs = await this.nextDueInMs();
      } catch (error) {
        this.logger.warn(`device sync pass failed: ${(error as Error).message}`);
      }
      await this.sleeper.sleep(sleepMs);
    }
  }
}
