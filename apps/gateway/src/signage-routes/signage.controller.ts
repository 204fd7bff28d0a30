import { Body, Controller, Delete, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  BulkOverrideAnswer,
  DOWNLINK_RPC,
  GatewaySignagePage,
  OverrideBody,
  SignagePolicyBody,
  SignagePolicyView,
  SignageSettingsBody,
  SignageSettingsView,
  SignageStatsQuery,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { SITE_ID_PARAM } from '../occupancy-routes/sites.controller';
import { ZONE_ID_PARAM } from '../occupancy-routes/zones.controller';
import { ApiAuthenticated } from '../openapi/api-docs.decorators';
import { SITE_NOT_FOUND } from '../reservation-routes/reservation-docs';
import { HOW_SIGNS_DECIDE, POLICY_VERSION_CONFLICT, SCOPE_NOT_FOUND, SETTINGS_VERSION_CONFLICT } from './signage-docs';

const POLICY_LAYERS =
  "A policy names only what it changes: the tenant's over the default, a site's over the tenant's. Replacing one plans every display it governs again; a sign already showing the result is not sent to. " +
  'Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change (0 for a layer never set).';

/** Signage policies, overrides of whole zones and sites, and the gateways' airtime (owned by the downlink service). */
@ApiTags('signage')
@Controller('api/v1')
export class SignageController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('displays:read')
  @Get('signage/policy')
  @ApiOperation({ summary: "The tenant's signage policy, and the rules in force for sites without their own", description: `Needs \`displays:read\`. ${HOW_SIGNS_DECIDE}` })
  @ApiOkResponse({ type: SignagePolicyView })
  @ApiAuthenticated()
  getTenantPolicy(@CurrentPrincipal() principal: Principal, @Query() _query: NoQueryParams): Promise<SignagePolicyView> {
    return this.rpc.call(DOWNLINK_RPC.getPolicy, {}, { principal });
  }

  @RequirePermission('displays:write')
  @Put('signage/policy')
  @ApiOperation({ summary: "Replace the tenant's signage policy", description: `Needs \`displays:write\`. ${POLICY_LAYERS}` })
  @ApiOkResponse({ type: SignagePolicyView })
  @ApiAuthenticated(POLICY_VERSION_CONFLICT)
  putTenantPolicy(@CurrentPrincipal() principal: Principal, @Body() body: SignagePolicyBody, @Query() _query: NoQueryParams): Promise<SignagePolicyView> {
    return this.rpc.call(DOWNLINK_RPC.putPolicy, body, { principal });
  }

  @RequirePermission('displays:read')
  @Get('sites/:id/signage-policy')
  @ApiOperation({ summary: "A site's signage policy, and the rules in force there", description: `Needs \`displays:read\`. ${HOW_SIGNS_DECIDE}` })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SignagePolicyView })
  @ApiAuthenticated(SITE_NOT_FOUND)
  getSitePolicy(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Query() _query: NoQueryParams): Promise<SignagePolicyView> {
    return this.rpc.call(DOWNLINK_RPC.getPolicy, { siteId }, { principal });
  }

  @RequirePermission('displays:write')
  @Put('sites/:id/signage-policy')
  @ApiOperation({ summary: "Replace a site's signage policy", description: `Needs \`displays:write\`. ${POLICY_LAYERS}` })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: SignagePolicyView })
  @ApiAuthenticated(SITE_NOT_FOUND, POLICY_VERSION_CONFLICT)
  putSitePolicy(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) siteId: string, @Body() body: SignagePolicyBody, @Query() _query: NoQueryParams): Promise<SignagePolicyView> {
    return this.rpc.call(DOWNLINK_RPC.putPolicy, { ...body, siteId }, { principal });
  }

  @RequirePermission('displays:write')
  @Put('sites/:id/display-override')
  @ApiOperation({ summary: 'Override every display of a site until a time, with a reason', description: 'Needs `displays:write`. As PUT /api/v1/displays/{id}/override, for each display of the site; answers how many.' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: BulkOverrideAnswer })
  @ApiAuthenticated(SITE_NOT_FOUND)
  overrideSite(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) scopeId: string, @Body() body: OverrideBody, @Query() _query: NoQueryParams): Promise<BulkOverrideAnswer> {
    return this.rpc.call(DOWNLINK_RPC.setBulkOverride, { ...body, scope: 'site', scopeId }, { principal });
  }

  @RequirePermission('displays:write')
  @Delete('sites/:id/display-override')
  @ApiOperation({ summary: "End the overrides of a site's displays now", description: 'Needs `displays:write`. Answers how many displays went back to their policy.' })
  @ApiParam(SITE_ID_PARAM)
  @ApiOkResponse({ type: BulkOverrideAnswer })
  @ApiAuthenticated(SITE_NOT_FOUND)
  clearSite(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) scopeId: string, @Query() _query: NoQueryParams): Promise<BulkOverrideAnswer> {
    return this.rpc.call(DOWNLINK_RPC.clearBulkOverride, { scope: 'site', scopeId }, { principal });
  }

  @RequirePermission('displays:write')
  @Put('zones/:id/display-override')
  @ApiOperation({
    summary: 'Override every display of a zone until a time, with a reason',
    description: 'Needs `displays:write`. Its count signs and the bay lights of its spaces, nested zones included; as PUT /api/v1/displays/{id}/override for each. Answers how many.',
  })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: BulkOverrideAnswer })
  @ApiAuthenticated(SCOPE_NOT_FOUND)
  overrideZone(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) scopeId: string, @Body() body: OverrideBody, @Query() _query: NoQueryParams): Promise<BulkOverrideAnswer> {
    return this.rpc.call(DOWNLINK_RPC.setBulkOverride, { ...body, scope: 'zone', scopeId }, { principal });
  }

  @RequirePermission('displays:write')
  @Delete('zones/:id/display-override')
  @ApiOperation({ summary: "End the overrides of a zone's displays now", description: 'Needs `displays:write`. Nested zones included; answers how many displays went back to their policy.' })
  @ApiParam(ZONE_ID_PARAM)
  @ApiOkResponse({ type: BulkOverrideAnswer })
  @ApiAuthenticated(SCOPE_NOT_FOUND)
  clearZone(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) scopeId: string, @Query() _query: NoQueryParams): Promise<BulkOverrideAnswer> {
    return this.rpc.call(DOWNLINK_RPC.clearBulkOverride, { scope: 'zone', scopeId }, { principal });
  }

  @RequirePermission('displays:read')
  @Get('signage/gateways')
  @ApiOperation({
    summary: "Gateways that serve the tenant's displays: frames sent, confirmed and failed, and airtime against the duty-cycle budget",
    description:
      "Needs `displays:read`. Counts are the tenant's over the last `hours`; airtime is the gateway's over the last hour (every tenant's signage frames: the budget is the gateway's), per ETSI sub-band, against the budget after the headroom.",
  })
  @ApiOkResponse({ type: GatewaySignagePage })
  @ApiAuthenticated()
  gateways(@CurrentPrincipal() principal: Principal, @Query() query: SignageStatsQuery): Promise<GatewaySignagePage> {
    return this.rpc.call(DOWNLINK_RPC.gatewayStats, query, { principal });
  }

  @RequirePermission('displays:read')
  @Get('signage/settings')
  @ApiOperation({ summary: "The tenant's signage settings: the RX2 data rate its frames' airtime is counted at", description: 'Needs `displays:read`.' })
  @ApiOkResponse({ type: SignageSettingsView })
  @ApiAuthenticated()
  getSettings(@CurrentPrincipal() principal: Principal, @Query() _query: NoQueryParams): Promise<SignageSettingsView> {
    return this.rpc.call(DOWNLINK_RPC.getSettings, {}, { principal });
  }

  @RequirePermission('displays:write')
  @Put('signage/settings')
  @ApiOperation({
    summary: "Set the RX2 data rate of the tenant's network",
    description:
      "Needs `displays:write`. The EU868 data rate (DR0–DR6) the tenant's ChirpStack sends class C frames at, as its region configuration sets RX2; null goes back to the platform's default. " +
      'Frames queued from then on count their time on air at it against the duty-cycle budgets. Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change.',
  })
  @ApiOkResponse({ type: SignageSettingsView })
  @ApiAuthenticated(SETTINGS_VERSION_CONFLICT)
  putSettings(@CurrentPrincipal() principal: Principal, @Body() body: SignageSettingsBody, @Query() _query: NoQueryParams): Promise<SignageSettingsView> {
    return this.rpc.call(DOWNLINK_RPC.putSettings, body, { principal });
  }
}
