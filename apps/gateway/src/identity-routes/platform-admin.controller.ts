import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AdminListAuditRequest,
  AdminListTenantsRequest,
  AuditPage,
  IDENTITY_RPC,
  SetFeaturesBody,
  SetLimitsBody,
  SetPlanBody,
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

/** Platform administration across tenants; every call names its reason, which identity audits. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin')
export class PlatformAdminController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('tenants')
  @ApiOperation({ summary: 'All tenants with plan, limits and status' })
  @ApiOkResponse({ type: TenantAdminPage })
  @ApiAuthenticated()
  listTenants(@CurrentPrincipal() principal: Principal, @Query() query: AdminListTenantsRequest): Promise<TenantAdminPage> {
    return this.rpc.call(IDENTITY_RPC.adminListTenants, query, { principal });
  }

  @Post('tenants/:id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend a tenant (or reinstate it with `suspended: false`)' })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  suspend(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SuspendTenantBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSuspendTenant, { ...body, tenantId }, { principal });
  }

  @Put('tenants/:id/plan')
  @ApiOperation({ summary: 'Move a tenant to another plan' })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  setPlan(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetPlanBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSetPlan, { ...body, tenantId }, { principal });
  }

  @Put('tenants/:id/limits')
  @ApiOperation({ summary: "Override single limits of a tenant's plan" })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  setLimits(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetLimitsBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSetLimits, { ...body, tenantId }, { principal });
  }

  @Put('tenants/:id/features')
  @ApiOperation({ summary: 'Switch feature flags of a tenant' })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminView })
  @ApiAuthenticated()
  @ApiProblems(404)
  setFeatures(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetFeaturesBody, @Query() _query: NoQueryParams): Promise<TenantAdminView> {
    return this.rpc.call(IDENTITY_RPC.adminSetFeatures, { ...body, tenantId }, { principal });
  }

  @Get('audit')
  @ApiOperation({ summary: 'The platform audit trail, newest first' })
  @ApiOkResponse({ type: AuditPage })
  @ApiAuthenticated()
  listAudit(@CurrentPrincipal() principal: Principal, @Query() query: AdminListAuditRequest): Promise<AuditPage> {
    return this.rpc.call(IDENTITY_RPC.adminListAudit, query, { principal });
  }
}
