import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CreateIntegrationRequest,
  IDENTITY_PAGE_MAX,
  IDENTITY_RPC,
  IdentityEvents,
  INTEGRATION_GRACE_DEFAULT_SECONDS,
  INTEGRATION_GRACE_MAX_SECONDS,
  IntegrationPage,
  IntegrationSecretsResponse,
  IntegrationView,
  ListIntegrationsRequest,
  OkView,
  RotateIntegrationBody,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';

const INTEGRATION_ID = { name: 'id', format: 'uuid', example: '5c4b3a29-1807-4f6e-9d5c-4b3a29180716' } as const;

@ApiTags('webhook-integrations')
@Controller('api/v1/webhook-integrations')
export class WebhookIntegrationsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('integrations:write')
  @Post()
  @ApiOperation({
    summary: 'Create a ChirpStack webhook integration; its token and HMAC secret are shown once',
    description:
      'Needs `integrations:write`. `token` (`whk_…`) goes into the `Authorization: Bearer` header of ChirpStack’s HTTP integration; `hmacSecret` signs webhooks for the signed routes. Neither is shown again. ' +
      `Publishes ${IdentityEvents.WEBHOOK_INTEGRATION_UPSERTED_V1}, from which the gateways learn the credentials. 403 LIMIT_EXCEEDED at the plan’s \`integrations\` limit.`,
  })
  @ApiCreatedResponse({ type: IntegrationSecretsResponse })
  @ApiAuthenticated()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateIntegrationRequest, @Query() _query: NoQueryParams): Promise<IntegrationSecretsResponse> {
    return this.rpc.call(IDENTITY_RPC.createIntegration, body, { principal });
  }

  @RequirePermission('integrations:read')
  @Get()
  @ApiOperation({
    summary: 'Webhook integrations of the tenant with their delivery health',
    description: `Needs \`integrations:read\`. Newest first, each with its token prefix, its last accepted webhook, how many were rejected and the latest rejections, never a secret; \`limit\` 1 to ${IDENTITY_PAGE_MAX} (default 50) a page, \`nextCursor\` back as \`cursor\` for the next.`,
  })
  @ApiOkResponse({ type: IntegrationPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListIntegrationsRequest): Promise<IntegrationPage> {
    return this.rpc.call(IDENTITY_RPC.listIntegrations, query, { principal });
  }

  @RequirePermission('integrations:read')
  @Get(':id')
  @ApiOperation({
    summary: 'One webhook integration with its latest rejections',
    description:
      'Needs `integrations:read`. `lastRejections` (newest first) tells when and why webhooks presented as this integration were refused, e.g. `bad-signature`; the gateways report them in batches, so they arrive with a short delay. ' +
      'An integration of another tenant is 404, like an unknown id.',
  })
  @ApiParam(INTEGRATION_ID)
  @ApiOkResponse({ type: IntegrationView })
  @ApiAuthenticated()
  @ApiProblems(404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) integrationId: string, @Query() _query: NoQueryParams): Promise<IntegrationView> {
    return this.rpc.call(IDENTITY_RPC.getIntegration, { integrationId }, { principal });
  }

  @RequirePermission('integrations:write')
  @Delete(':id')
  @ApiOperation({
    summary: 'Delete a webhook integration; its token stops working',
    description:
      `Needs \`integrations:write\`. Publishes ${IdentityEvents.WEBHOOK_INTEGRATION_DELETED_V1}; from then on the gateways refuse its token and signatures with 401. ` +
      'An integration of another tenant is 404, like an unknown id.',
  })
  @ApiParam(INTEGRATION_ID)
  @ApiOkResponse({ type: OkView })
  @ApiAuthenticated()
  @ApiProblems(404)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) integrationId: string, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.rpc.call(IDENTITY_RPC.deleteIntegration, { integrationId }, { principal });
  }

  @RequirePermission('integrations:write')
  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'New token and HMAC secret; the previous ones work on for the grace period',
    description:
      `Needs \`integrations:write\`. The new \`token\` and \`hmacSecret\` are shown this once; the previous pair keeps working for \`graceSeconds\` (default ${INTEGRATION_GRACE_DEFAULT_SECONDS}, at most ${INTEGRATION_GRACE_MAX_SECONDS}; 0 ends it at once), so ChirpStack can be switched over without refused events. ` +
      `Publishes ${IdentityEvents.WEBHOOK_INTEGRATION_UPSERTED_V1}. An integration of another tenant is 404, like an unknown id.`,
  })
  @ApiParam(INTEGRATION_ID)
  @ApiOkResponse({ type: IntegrationSecretsResponse })
  @ApiAuthenticated()
  @ApiProblems(404)
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) integrationId: string,
    @Body() body: RotateIntegrationBody,
    @Query() _query: NoQueryParams,
  ): Promise<IntegrationSecretsResponse> {
    return this.rpc.call(IDENTITY_RPC.rotateIntegration, { ...body, integrationId }, { principal });
  }
}
