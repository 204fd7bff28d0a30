import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  IDENTITY_RPC,
  type CreateApiKeyRequest,
  type ListApiKeysRequest,
  type Principal,
  type RevokeApiKeyRequest,
  type RotateApiKeyRequest,
} from '@parking/contracts';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';
import { ApiKeyDto, ApiKeyPage, ApiKeySecretDto, CreateApiKeyBody } from './dto/api-keys.dto';
import { NoQueryParams } from './dto/no-query-params.dto';
import { PageQuery } from './dto/page-query.dto';
import { UuidParam } from './dto/uuid-param';
import { IdentityClient } from './identity-client';

const KEY_ID = { name: 'id', format: 'uuid', example: '2f6c9a1e-7b3d-4c5e-8f90-a1b2c3d4e5f6' } as const;

@ApiTags('api-keys')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly identity: IdentityClient) {}

  @RequirePermission('api-keys:write')
  @Post()
  @ApiOperation({ summary: 'Create an API key with scopes out of your own permissions; the secret is shown once' })
  @ApiCreatedResponse({ type: ApiKeySecretDto })
  @ApiAuthenticated()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyBody, @Query() _query: NoQueryParams): Promise<ApiKeySecretDto> {
    return this.identity.send(IDENTITY_RPC.createApiKey, { principal, ...body } satisfies CreateApiKeyRequest);
  }

  @RequirePermission('api-keys:read')
  @Get()
  @ApiOperation({ summary: 'API keys of the tenant, newest first, without secrets' })
  @ApiOkResponse({ type: ApiKeyPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() page: PageQuery): Promise<ApiKeyPage> {
    return this.identity.send(IDENTITY_RPC.listApiKeys, { principal, ...page } satisfies ListApiKeysRequest);
  }

  @RequirePermission('api-keys:write')
  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key (idempotent)' })
  @ApiParam(KEY_ID)
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) apiKeyId: string, @Query() _query: NoQueryParams): Promise<ApiKeyDto> {
    return this.identity.send(IDENTITY_RPC.revokeApiKey, { principal, apiKeyId } satisfies RevokeApiKeyRequest);
  }

  @RequirePermission('api-keys:write')
  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace a key by a new one with the same name, scopes and expiry; the old one stops at once' })
  @ApiParam(KEY_ID)
  @ApiOkResponse({ type: ApiKeySecretDto })
  @ApiAuthenticated()
  @ApiProblems(404)
  rotate(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) apiKeyId: string, @Query() _query: NoQueryParams): Promise<ApiKeySecretDto> {
    return this.identity.send(IDENTITY_RPC.rotateApiKey, { principal, apiKeyId } satisfies RotateApiKeyRequest);
  }
}
