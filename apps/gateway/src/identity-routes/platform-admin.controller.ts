import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AdminListAuditRequest,
  AdminListTenantsRequest,
  AdminRotateSigningKeyRequest,
  AuditPage,
  IDENTITY_PAGE_MAX,
  IDENTITY_RPC,
  IdentityEvents,
  SetFeaturesBody,
  SetLimitsBody,
  SetPlanBody,
  SigningKeyRotationView,
  SuspendTenantBody,
  TenantAdminPage,
  TenantAdminView,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePlatformAdmin } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';

const TENANT_ID = { name: 'id', format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' } as const;

/** Who may call every route here, and what happens to the reason each one names. */
const ADMIN_ONLY = 'Platform administrators only; the `reason` is written to the audit log, with the action and the tenant, in the same transaction as the change.';
const LIMITS_PUBLISHED = `Publishes ${IdentityEvents.TENANT_LIMITS_CHANGED_V1}, from which the gateway and the other services enforce the tenant’s limits.`;

/** Platform administration across tenants; every call names its reason, which identity audits. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin')
export class PlatformAdminController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('tenants')
  @ApiOperation({
    summary: 'All tenants with plan, limits and status',
    description:
      'Platform administrators only; the `reason` query parameter is written to the audit log. ' +
      `Oldest first, each tenant with its status, plan, effective limits, its own overrides, feature flags and user count; \`limit\` 1 to ${IDENTITY_PAGE_MAX} (default 50) a page, \`nextCursor\` back as \`cursor\` for the next.`,
  })
  @ApiOkResponse({ type: TenantAdminPage })
  @ApiAuthenticated()
  listTenants(@CurrentPrincipal() principal: Principal, @Query() query: AdminListTenantsRequest): Promise<TenantAdminPage> {
    return this.rpc.call(IDENTITY_RPC.adminListTenants, query, { principal });
  }

  @Post('tenants/:id/suspend')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Suspend a tenant (or reinstate it with `suspended: false`)',
    description:
      `${ADMIN_ONLY} Suspending publishes ${IdentityEvents.TENANT_SUSPENDED_V1}: the tenant’s users can no longer sign in or refresh (platform administrators excepted), its API keys are refused, its live streams end, and its webhook integrations are announced disabled, so the gateways refuse their webhooks. ` +
      '`suspended: false` reinstates the tenant and enables its integrations again. An unknown tenant is 404.',
  })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  suspend(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SuspendTenantBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSuspendTenant, { ...body, tenantId }, { principal });
  }

  @Put('tenants/:id/plan')
  @ApiOperation({
    summary: 'Move a tenant to another plan',
    description: `${ADMIN_ONLY} The tenant’s limits become the new plan’s, with its own overrides still on top. ${LIMITS_PUBLISHED} An unknown tenant is 404.`,
  })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  setPlan(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetPlanBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSetPlan, { ...body, tenantId }, { principal });
  }

  @Put('tenants/:id/limits')
  @ApiOperation({
    summary: "Override single limits of a tenant's plan",
    description:
      `${ADMIN_ONLY} \`limits\` is merged over the current overrides: a key left out keeps its override, \`null\` means unlimited, and \`replace: true\` drops every override first. ` +
      `${LIMITS_PUBLISHED} An unknown tenant is 404.`,
  })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  setLimits(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetLimitsBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSetLimits, { ...body, tenantId }, { principal });
  }

  @Put('tenants/:id/features')
  @ApiOperation({
    summary: 'Switch feature flags of a tenant',
    description: `${ADMIN_ONLY} \`features\` is merged over the current flags; a flag left out keeps its value. Publishes ${IdentityEvents.TENANT_LIMITS_CHANGED_V1}, which carries the features too. An unknown tenant is 404.`,
  })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  setFeatures(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetFeaturesBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSetFeatures, { ...body, tenantId }, { principal });
  }

  @Post('signing-keys/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the access-token signing key now',
    description:
      'Platform administrators only; the `reason` is written to the audit log with the new key’s id (`signing-key:<kid>`). Every access token signed from now on carries the new `kid`; ' +
      'the previous keys stop signing and stay in the JWKS (/.well-known/jwks.json) while tokens they signed can still be valid (the access-token lifetime and a minute). ' +
      '`retirePrevious: true` (a key believed compromised) drops every earlier key from the JWKS at once: their tokens stop working as soon as each gateway refreshes the JWKS (JWKS_REFRESH_INTERVAL_MS), the caller’s own token included. ' +
      'Identity also rotates on its own schedule (SIGNING_KEY_ROTATION_INTERVAL_SECONDS).',
  })
  @ApiOkResponse({ type: SigningKeyRotationView })
  @ApiAuthenticated()
  rotateSigningKey(@CurrentPrincipal() principal: Principal, @Body() body: AdminRotateSigningKeyRequest, @Query() _query: NoQueryParams): Promise<SigningKeyRotationView> {
    return this.rpc.call(IDENTITY_RPC.adminRotateSigningKey, body, { principal });
  }

  @Get('audit')
  @ApiOperation({
    summary: 'The platform audit trail, newest first',
    description:
      'Platform administrators only; this read is audited too, with its `reason`. Identity’s audit rows: who, why, which action, on what target and when; `target` (e.g. `tenant:<uuid>`) narrows them to one target. ' +
      `\`limit\` 1 to ${IDENTITY_PAGE_MAX} (default 50) a page, \`nextCursor\` back as \`cursor\` for the next. The device and pipeline admin routes are audited by ingest and are not listed here.`,
  })
  @ApiOkResponse({ type: AuditPage })
  @ApiAuthenticated()
  listAudit(@CurrentPrincipal() principal: Principal, @Query() query: AdminListAuditRequest): Promise<AuditPage> {
    return this.rpc.call(IDENTITY_RPC.adminListAudit, query, { principal });
  }
}
