import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AdminListAuditResponse,
  AdminListTenantsResponse,
  AdminSetFeaturesResponse,
  AdminSetLimitsResponse,
  AdminSetPlanResponse,
  AdminSuspendTenantResponse,
  IDENTITY_RPC,
  isPlanId,
  PLANS,
  Principal,
  USAGE_LIMIT_NAMES,
  UsageLimits,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '../authorization/acting-principal';
import { RequestReader } from '../validation/request-reader';
import { AdminUseCases } from './admin.use-cases';

const FEATURE_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

@Controller()
export class AdminRpc {
  constructor(private readonly admin: AdminUseCases) {}

  @RpcHandler(IDENTITY_RPC.adminListTenants)
  listTenants(@Payload() payload: unknown): Promise<AdminListTenantsResponse> {
    const { principal, reason, input } = read(payload);
    const page = input.page();
    input.done();
    return this.admin.listTenants(principal, reason, page);
  }

  @RpcHandler(IDENTITY_RPC.adminSuspendTenant)
  suspend(@Payload() payload: unknown): Promise<AdminSuspendTenantResponse> {
    const { principal, reason, input } = read(payload);
    const tenantId = input.uuid('tenantId');
    const suspended = input.optionalBoolean('suspended') ?? true;
    input.done();
    return this.admin.suspend(principal, reason, tenantId, suspended);
  }

  @RpcHandler(IDENTITY_RPC.adminSetPlan)
  setPlan(@Payload() payload: unknown): Promise<AdminSetPlanResponse> {
    const { principal, reason, input } = read(payload);
    const tenantId = input.uuid('tenantId');
    const plan = input.raw('plan');
    if (!isPlanId(plan)) input.fail('plan', `must be one of ${Object.keys(PLANS).join(', ')}`);
    input.done();
    return this.admin.setPlan(principal, reason, tenantId, plan as keyof typeof PLANS);
  }

  @RpcHandler(IDENTITY_RPC.adminSetLimits)
  setLimits(@Payload() payload: unknown): Promise<AdminSetLimitsResponse> {
    const { principal, reason, input } = read(payload);
    const tenantId = input.uuid('tenantId');
    const replace = input.optionalBoolean('replace') ?? false;
    const raw = input.raw('limits');
    const limits: Partial<UsageLimits> = {};
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) input.fail('limits', 'must be an object of limits');
    for (const [name, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
      if (!(USAGE_LIMIT_NAMES as readonly string[]).includes(name)) input.fail(`limits.${name}`, `is not a limit (${USAGE_LIMIT_NAMES.join(', ')})`);
      else if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1e9)) input.fail(`limits.${name}`, 'must be a non-negative integer or null (unlimited)');
      else limits[name as keyof UsageLimits] = value as number | null;
    }
    input.done();
    return this.admin.setLimits(principal, reason, tenantId, limits, replace);
  }

  @RpcHandler(IDENTITY_RPC.adminSetFeatures)
  setFeatures(@Payload() payload: unknown): Promise<AdminSetFeaturesResponse> {
    const { principal, reason, input } = read(payload);
    const tenantId = input.uuid('tenantId');
    const raw = input.raw('features');
    const features: Record<string, boolean> = {};
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) input.fail('features', 'must be an object of flags');
    for (const [name, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
      if (!FEATURE_NAME.test(name) || typeof value !== 'boolean') input.fail(`features.${name}`, 'must be a lower-case name with a true/false value');
      else features[name] = value;
    }
    input.done();
    return this.admin.setFeatures(principal, reason, tenantId, features);
  }

  @RpcHandler(IDENTITY_RPC.adminListAudit)
  listAudit(@Payload() payload: unknown): Promise<AdminListAuditResponse> {
    const { principal, reason, input } = read(payload);
    const page = input.page();
    const target = input.optionalString('target', { max: 200 });
    input.done();
    return this.admin.listAudit(principal, reason, page, target);
  }
}

function read(payload: unknown): { principal: Principal; reason: string; input: RequestReader } {
  const principal = principalOf(payload);
  const input = new RequestReader(payload);
  const reason = input.string('reason', { min: 3, max: 500 });
  return { principal, reason, input };
}
