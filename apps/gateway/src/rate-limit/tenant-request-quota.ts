import { Injectable } from '@nestjs/common';

interface KnownQuota {
  requestsPerMinute: number | null;
  version: number;
}

/**
 * Each tenant's `apiRequestsPerMinute` (its plan with overrides), as far as the gateway has
 * heard of it through `identity.tenant.limits_changed.v1` (TenantLimitsFeed). A tenant not
 * heard of yet is limited per caller only.
 */
@Injectable()
export class TenantRequestQuota {
  private readonly quotas = new Map<string, KnownQuota>();

  /** Requests per minute for the tenant; `null` unlimited; `undefined` not known here. */
  requestsPerMinute(tenantId: string): number | null | undefined {
    return this.quotas.get(tenantId)?.requestsPerMinute;
  }

  /** Keeps the newest version: a late or replayed older event does not undo a change. */
  remember(tenantId: string, requestsPerMinute: number | null, version: number): void {
    const known = this.quotas.get(tenantId);
    if (known && known.version >= version) return;
    this.quotas.set(tenantId, { requestsPerMinute, version });
  }
}
