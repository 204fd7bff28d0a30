import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  IDENTITY_RPC,
  type AdminListAuditRequest,
  type AdminListTenantsRequest,
  type AdminSetFeaturesRequest,
  type AdminSetLimitsRequest,
  type AdminSetPlanRequest,
  type AdminSuspendTenantRequest,
  type Principal,
} from '@parking/contracts';
import { RequirePlatformAdmin } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import {
  AdminListAuditQuery,
  AdminListTenantsQuery,
  AuditPage,
  SetFeaturesBody,
  SetLimitsBody,
  SetPlanBody,
  SuspendTenantBody,
  TenantAdminDto,
  TenantAdminPage,
} from './dto/admin.dto';
import { NoQueryParams } from './dto/no-query-params.dto';
import { UuidParam } from './dto/uuid-param';
import { IdentityClient } from './identity-client';

const TENANT_ID = { name: 'id', format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' } as const;

/** Platform administration across tenants; every call names its reason, which identity audits. */
@ApiTags('platform-admin')
@RequirePlatformAdmin()
@Controller('api/v1/admin')
export class PlatformAdminController {
  constructor(private readonly identity: IdentityClient) {}

  @Get('tenants')
  @ApiOperation({ summary: 'All tenants with plan, limits and status' })
  @ApiOkResponse({ type: TenantAdminPage })
  @ApiAuthenticated()
  listTenants(@CurrentPrincipal() principal: Principal, @Query() query: AdminListTenantsQuery): Promise<TenantAdminPage> {
    return this.identity.send(IDENTITY_RPC.adminListTenants, { principal, ...query } satisfies AdminListTenantsRequest);
  }

  @Post('tenants/:id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend a tenant (or reinstate it with `suspended: false`)' })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  suspend(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SuspendTenantBody, @Query() _query: NoQueryParams): Promise<TenantAdminDto> {
    return this.identity.send(IDENTITY_RPC.adminSuspendTenant, { principal, tenantId, ...body } satisfies AdminSuspendTenantRequest);
  }

  @Put('tenants/:id/plan')
  @ApiOperation({ summary: "Move a tenant to another plan" })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  setPlan(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetPlanBody, @Query() _query: NoQueryParams): Promise<TenantAdminDto> {
    return this.identity.send(IDENTITY_RPC.adminSetPlan, { principal, tenantId, ...body } satisfies AdminSetPlanRequest);
  }

  @Put('tenants/:id/limits')
  @ApiOperation({ summary: "Override single limits of a tenant's plan" })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  setLimits(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetLimitsBody, @Query() _query: NoQueryParams): Promise<TenantAdminDto> {
    return this.identity.send(IDENTITY_RPC.adminSetLimits, { principal, tenantId, ...body } satisfies AdminSetLimitsRequest);
  }

  @Put('tenants/:id/features')
  @ApiOperation({ summary: 'Switch feature flags of a tenant' })
  @ApiParam(TENANT_ID)
  @ApiOkResponse({ type: TenantAdminDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  setFeatures(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) tenantId: string, @Body() body: SetFeaturesBody, @Query() _query: NoQueryParams): Promise<TenantAdminDto> {
    return this.identity.send(IDENTITY_RPC.adminSetFeatures, { principal, tenantId, ...body } satisfies AdminSetFeaturesRequest);
  }

  @Get('audit')
  @ApiOperation({ summary: 'The platform audit trail, newest first' })
  @ApiOkResponse({ type: AuditPage })
  @ApiAuthenticated()
  listAudit(@CurrentPrincipal() principal: Principal, @Query() query: AdminListAuditQuery): Promise<AuditPage> {
    return this.identity.send(IDENTITY_RPC.adminListAudit, { principal, ...query } satisfies AdminListAuditRequest);
  }
}
