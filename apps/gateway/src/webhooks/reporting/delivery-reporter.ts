import { DELIVERY_REJECTIONS_MAX, DELIVERY_REPORTS_MAX, IDENTITY_RPC } from '@parking/contracts';
import type { RpcClient } from '@parking/messaging-nest';

/** Why a webhook of a known integration was refused (short words, shown to the tenant). */
export type RejectionReason =
  | 'bad-token'
  | 'expired-token'
  | 'bad-signature'
  | 'disabled'
  | 'too-large'
  | 'unsupported-media-type'
  | 'bad-payload'
  | 'rate-limited'
  | 'unavailable';

/** Where the reports go: identity, through the gateway's RpcClient. */
export type DeliveryReportSink = Pick<RpcClient, 'call'>;

interface Pending {
  tenantId: string;
  lastReceivedAt?: string;
  rejections: Array<{ at: string; reason: string }>;
}

// What identity takes in one report: so many integrations, so many rejections of each.
const REPORTS_PER_CALL = DELIVERY_REPORTS_MAX;
const REJECTIONS_KEPT = DELIVERY_REJECTIONS_MAX;

/**
 * Counts accepted and refused webhooks per integration in memory and tells identity every
 * `intervalMs` (`reportIntegrationDeliveries`), off the request path: recording is a map
 * update, sending never blocks a webhook, and a failed report is logged and dropped (these
 * are hints for the tenant's integration page, not records).
 */
export class DeliveryReporter {
  private pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly rpc: DeliveryReportSink,
    private readonly options: { intervalMs: number; timeoutMs?: number; warn: (message: string) => void },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  accepted(integrationId: string, tenantId: string, at: Date): void {
    this.entry(integrationId, tenantId).lastReceivedAt = at.toISOString();
  }

  rejected(integrationId: string, tenantId: string, reason: RejectionReason, at: Date): void {
    const rejections = this.entry(integrationId, tenantId).rejections;
    rejections.push({ at: at.toISOString(), reason });
    if (rejections.length > REJECTIONS_KEPT) rejections.shift();
  }

  /** Sends what was counted since the last call (one call at a time). */
  flush(): Promise<void> {
    this.sending = this.sending.then(() => this.sendPending());
    return this.sending;
  }

  private async sendPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending].map(([integrationId, p]) => ({ integrationId, ...p }));
    this.pending = new Map();
    for (let i = 0; i < batch.length; i += REPORTS_PER_CALL) {
      const reports = batch.slice(i, i + REPORTS_PER_CALL);
      try {
        await this.rpc.call(IDENTITY_RPC.reportIntegrationDeliveries, { reports }, {}, { timeoutMs: this.options.timeoutMs ?? 5_000 });
      } catch (error) {
        this.options.warn(`webhook delivery report for ${reports.length} integration(s) dropped: ${(error as Error).message}`);
      }
    }
  }

  private entry(integrationId: string, tenantId: string): Pending {
    let entry = this.pending.get(integrationId);
    if (!entry) {
      entry = { tenantId, rejections: [] };
      this.pending.set(integrationId, entry);
    }
    return entry;
  }
}
