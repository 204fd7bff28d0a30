import type { Page, PageRequest } from './identity-rpc';
import type { Principal } from './principal';
import type { TenantStatus } from './sessions-rpc';
import type { UsageLimits } from './usage-limits';

// ---------------------------------------------------------------------------------------
// Platform administration: principal.isPlatformAdmin, every call audited with its reason
// ---------------------------------------------------------------------------------------

export interface PlatformAdminRequest {
  principal: Principal;
  /** Why, for the audit row: 3..500 characters. */
  reason: string;
}

export interface TenantAdminView {
  id: string;
  name: string;
  slug: string;
  status: TenantStatus;
  plan: string;
  /** The plan's limits with this tenant's overrides applied. */
  limits: UsageLimits;
  /** Only the overrides set for this tenant. */
  limitOverrides: Partial<UsageLimits>;
  features: Record<string, boolean>;
  createdAt: string;
  userCount: number;
}

export interface AdminListTenantsRequest extends PlatformAdminRequest, PageRequest {}
export type AdminListTenantsResponse = Page<TenantAdminView>;

/** `suspended: false` reinstates. Publishes `identity.tenant.suspended.v1` when suspending. */
export interface AdminSuspendTenantRequest extends PlatformAdminRequest {
  tenantId: string;
  suspended?: boolean;
}
export type AdminSuspendTenantResponse = TenantAdminView;

/** Plans: see PLANS. Publishes `identity.tenant.limits_changed.v1`. */
export interface AdminSetPlanRequest extends PlatformAdminRequest {
  tenantId: string;
  plan: string;
}
export type AdminSetPlanResponse = TenantAdminView;

/** Overrides merged over the current ones; `null` means unlimited; omit a key to keep it. Publishes limits_changed. */
export interface AdminSetLimitsRequest extends PlatformAdminRequest {
  tenantId: string;
  limits: Partial<UsageLimits>;
  /** Drop every override first. */
  replace?: boolean;
}
export type AdminSetLimitsResponse = TenantAdminView;

/** Flags merged over the current ones. Publishes limits_changed (it carries the features too). */
export interface AdminSetFeaturesRequest extends PlatformAdminRequest {
  tenantId: string;
  features: Record<string, boolean>;
}
export type AdminSetFeaturesResponse = TenantAdminView;

export interface AuditEntry {
  id: string;
  actor: string;
  reason: string;
  /** e.g. `tenant.suspend`; null for rows written before actions were recorded. */
  action: string | null;
  /** e.g. `tenant:<uuid>` */
  target: string | null;
  at: string;
}
export interface AdminListAuditRequest extends PlatformAdminRequest, PageRequest {
  /** Only rows about this target, e.g. `tenant:<uuid>`. */
  target?: string;
}
export type AdminListAuditResponse = Page<AuditEntry>;
