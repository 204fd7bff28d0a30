import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  IDENTITY_RPC,
  type CreateIntegrationRequest,
  type DeleteIntegrationRequest,
  type GetIntegrationRequest,
  type ListIntegrationsRequest,
  type Principal,
  type RotateIntegrationRequest,
} from '@parking/contracts';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import { CreateIntegrationBody, IntegrationDto, IntegrationPage, IntegrationSecretsDto, RotateIntegrationBody } from './dto/integrations.dto';
import { NoQueryParams } from './dto/no-query-params.dto';
import { PageQuery } from './dto/page-query.dto';
import { OkView } from './dto/session.dto';
import { UuidParam } from './dto/uuid-param';
import { IdentityClient } from './identity-client';

const INTEGRATION_ID = { name: 'id', format: 'uuid', example: '5c4b3a29-1807-4f6e-9d5c-4b3a29180716' } as const;

@ApiTags('webhook-integrations')
@Controller('api/v1/webhook-integrations')
export class WebhookIntegrationsController {
  constructor(private readonly identity: IdentityClient) {}

  @RequirePermission('integrations:write')
  @Post()
  @ApiOperation({ summary: 'Create a ChirpStack webhook integration; its token and HMAC secret are shown once' })
  @ApiCreatedResponse({ type: IntegrationSecretsDto })
  @ApiAuthenticated()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateIntegrationBody, @Query() _query: NoQueryParams): Promise<IntegrationSecretsDto> {
    return this.identity.send(IDENTITY_RPC.createIntegration, { principal, name: body.name } satisfies CreateIntegrationRequest);
  }

  @RequirePermission('integrations:read')
  @Get()
  @ApiOperation({ summary: 'Webhook integrations of the tenant with their delivery health' })
  @ApiOkResponse({ type: IntegrationPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<IntegrationPage> {
    return this.identity.send(IDENTITY_RPC.listIntegrations, { principal, ...page } satisfies ListIntegrationsRequest);
  }

  @RequirePermission('integrations:read')
  @Get(':id')
  @ApiOperation({ summary: 'One webhook integration with its latest rejections' })
  @ApiParam(INTEGRATION_ID)
  @ApiOkResponse({ type: IntegrationDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) integrationId: string, @Query() _query: NoQueryParams): Promise<IntegrationDto> {
    return this.identity.send(IDENTITY_RPC.getIntegration, { principal, integrationId } satisfies GetIntegrationRequest);
  }

  @RequirePermission('integrations:write')
  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook integration; its token stops working' })
  @ApiParam(INTEGRATION_ID)
  @ApiOkResponse({ type: OkView })
  @ApiAuthenticated()
  @ApiProblems(404)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) integrationId: string, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.identity.send(IDENTITY_RPC.deleteIntegration, { principal, integrationId } satisfies DeleteIntegrationRequest);
  }

  @RequirePermission('integrations:write')
  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'New token and HMAC secret; the previous ones work on for the grace period' })
  @ApiParam(INTEGRATION_ID)
  @ApiOkResponse({ type: IntegrationSecretsDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) integrationId: string,
    @Body() body: RotateIntegrationBody,
    @Query() _query: NoQueryParams,
  ): Promise<IntegrationSecretsDto> {
    return this.identity.send(IDENTITY_RPC.rotateIntegration, { principal, integrationId, ...body } satisfies RotateIntegrationRequest);
  }
}
