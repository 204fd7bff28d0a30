import { Injectable } from '@nestjs/common';
import type { UsageLimits } from '@parking/contracts';

/** The limits of a tenant the gateway enforces itself. */
export type GatewayLimits = Pick<UsageLimits, 'apiRequestsPerMinute'> & Partial<Pick<UsageLimits, 'webhooksPerMinute'>>;

interface KnownQuotas {
  requestsPerMinute: number | null;
  /** Absent from events published before the limit existed. */
  webhooksPerMinute?: number | null;
  version: number;
}

/**
 * Each tenant's `apiRequestsPerMinute` and `webhooksPerMinute` (its plan with overrides), as far
 * as the gateway has heard of them through `identity.tenant.limits_changed.v1` (TenantLimitsFeed).
 * A tenant not heard of yet is limited per caller only, and its webhooks by the default quota.
 */
@Injectable()
export class TenantQuotas {
  private readonly quotas = new Map<string, KnownQuotas>();

  /** Requests per minute for the tenant; `null` unlimited; `undefined` not known here. */
  requestsPerMinute(tenantId: string): number | null | undefined {
    return this.quotas.get(tenantId)?.requestsPerMinute;
  }

  /** Webhooks per minute for the tenant; `null` unlimited; `undefined` not known here. */
  webhooksPerMinute(tenantId: string): number | null | undefined {
    return this.quotas.get(tenantId)?.webhooksPerMinute;
  }

  /** Keeps the newest version: a late or replayed older event does not undo a change. */
  remember(tenantId: string, limits: GatewayLimits, version: number): void {
    const known = this.quotas.get(tenantId);
    if (known && known.version >= version) return;
    this.quotas.set(tenantId, { requestsPerMinute: limits.apiRequestsPerMinute, webhooksPerMinute: limits.webhooksPerMinute, version });
  }
}
