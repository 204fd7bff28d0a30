import { Controller } from '@nestjs/common';
import {
  AdminListAuditRequest,
  AdminListAuditResponse,
  AdminListTenantsRequest,
  AdminListTenantsResponse,
  AdminRotateSigningKeyRequest,
  AdminRotateSigningKeyResponse,
  AdminSetFeaturesRequest,
  AdminSetFeaturesResponse,
  AdminSetLimitsRequest,
  AdminSetLimitsResponse,
  AdminSetPlanRequest,
  AdminSetPlanResponse,
  AdminSuspendTenantRequest,
  AdminSuspendTenantResponse,
  IDENTITY_RPC,
  PAGE_SIZE_DEFAULT,
  USAGE_LIMIT_NAMES,
  UsageLimits,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '@parking/service-runtime';
import { AdminUseCases } from './admin.use-cases';

@Controller()
export class AdminRpc {
  constructor(private readonly admin: AdminUseCases) {}

  @RpcHandler(IDENTITY_RPC.adminListTenants)
  listTenants(request: AdminListTenantsRequest, context: ReceivedRpcContext): Promise<AdminListTenantsResponse> {
    return this.admin.listTenants(principalOf(context), request.reason, { cursor: request.cursor, limit: request.limit ?? PAGE_SIZE_DEFAULT });
  }

  @RpcHandler(IDENTITY_RPC.adminSuspendTenant)
  suspend(request: AdminSuspendTenantRequest, context: ReceivedRpcContext): Promise<AdminSuspendTenantResponse> {
    return this.admin.suspend(principalOf(context), request.reason, request.tenantId, request.suspended ?? true);
  }

  @RpcHandler(IDENTITY_RPC.adminSetPlan)
  setPlan(request: AdminSetPlanRequest, context: ReceivedRpcContext): Promise<AdminSetPlanResponse> {
    return this.admin.setPlan(principalOf(context), request.reason, request.tenantId, request.plan);
  }

  @RpcHandler(IDENTITY_RPC.adminSetLimits)
  setLimits(request: AdminSetLimitsRequest, context: ReceivedRpcContext): Promise<AdminSetLimitsResponse> {
    return this.admin.setLimits(principalOf(context), request.reason, request.tenantId, givenLimits(request.limits), request.replace ?? false);
  }

  @RpcHandler(IDENTITY_RPC.adminSetFeatures)
  setFeatures(request: AdminSetFeaturesRequest, context: ReceivedRpcContext): Promise<AdminSetFeaturesResponse> {
    return this.admin.setFeatures(principalOf(context), request.reason, request.tenantId, request.features);
  }

  @RpcHandler(IDENTITY_RPC.adminRotateSigningKey)
  rotateSigningKey(request: AdminRotateSigningKeyRequest, context: ReceivedRpcContext): Promise<AdminRotateSigningKeyResponse> {
    return this.admin.rotateSigningKey(principalOf(context), request.reason, request.retirePrevious ?? false);
  }

  @RpcHandler(IDENTITY_RPC.adminListAudit)
  listAudit(request: AdminListAuditRequest, context: ReceivedRpcContext): Promise<AdminListAuditResponse> {
    return this.admin.listAudit(principalOf(context), request.reason, { cursor: request.cursor, limit: request.limit ?? PAGE_SIZE_DEFAULT }, request.target);
  }
}

/**
 * Only the limits the request names (null included: unlimited). The checked instance also
 * holds the others, as undefined, which would erase their overrides in the merge.
 */
function givenLimits(limits: Partial<UsageLimits>): Partial<UsageLimits> {
  return Object.fromEntries(USAGE_LIMIT_NAMES.filter((name) => limits[name] !== undefined).map((name) => [name, limits[name]]));
}
