import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiKeyPage, ApiKeySecretResponse, ApiKeyView, CreateApiKeyRequest, IDENTITY_PAGE_MAX, IDENTITY_RPC, ListApiKeysRequest, type Principal } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated, ApiProblems } from '../openapi/api-docs.decorators';

const KEY_ID = { name: 'id', format: 'uuid', example: '2f6c9a1e-7b3d-4c5e-8f90-a1b2c3d4e5f6' } as const;

/** Gateways remember a verified key briefly (API_KEY_CACHE_TTL_MS), so a revocation reaches them within that time. */
const CACHED = 'A gateway that verified the old key shortly before may accept it for up to 30 seconds more (API_KEY_CACHE_TTL_MS).';

@ApiTags('api-keys')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('api-keys:write')
  @Post()
  @ApiOperation({
    summary: 'Create an API key with scopes out of your own permissions; the secret is shown once',
    description:
      'Needs `api-keys:write`. `scopes` must be a subset of the caller’s current permissions (403 FORBIDDEN naming the extra ones); `expiresAt`, if given, must lie in the future. ' +
      'The answer’s `key` is the only time the secret is shown (identity keeps only its hash); send it as `X-API-Key` or `Authorization: Bearer`. ' +
      '403 LIMIT_EXCEEDED when the tenant’s active keys reach the plan’s `apiKeys` limit.',
  })
  @ApiCreatedResponse({ type: ApiKeySecretResponse })
  @ApiAuthenticated()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyRequest, @Query() _query: NoQueryParams): Promise<ApiKeySecretResponse> {
    return this.rpc.call(IDENTITY_RPC.createApiKey, body, { principal });
  }

  @RequirePermission('api-keys:read')
  @Get()
  @ApiOperation({
    summary: 'API keys of the tenant, newest first, without secrets',
    description: `Needs \`api-keys:read\`. Active, expired and revoked keys alike, each with its public \`prefix\`, scopes and last use; \`limit\` 1 to ${IDENTITY_PAGE_MAX} (default 50) a page, \`nextCursor\` back as \`cursor\` for the next.`,
  })
  @ApiOkResponse({ type: ApiKeyPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiKeysRequest): Promise<ApiKeyPage> {
    return this.rpc.call(IDENTITY_RPC.listApiKeys, query, { principal });
  }

  @RequirePermission('api-keys:write')
  @Delete(':id')
  @ApiOperation({
    summary: 'Revoke an API key (idempotent)',
    description:
      'Needs `api-keys:write`. Answers the key with its `revokedAt`; revoking a revoked key answers it unchanged. A key of another tenant is 404, like an unknown id. ' +
      CACHED,
  })
  @ApiParam(KEY_ID)
  @ApiOkResponse({ type: ApiKeyView })
  @ApiAuthenticated()
  @ApiProblems(404)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) apiKeyId: string, @Query() _query: NoQueryParams): Promise<ApiKeyView> {
    return this.rpc.call(IDENTITY_RPC.revokeApiKey, { apiKeyId }, { principal });
  }

  @RequirePermission('api-keys:write')
  @Post(':id/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace a key by a new one with the same name, scopes and expiry; the old one stops at once',
    description:
      'Needs `api-keys:write`, and the key’s scopes must still be within the caller’s permissions (403 FORBIDDEN otherwise). The new secret is in `key`, shown this once; the new key has a new id. ' +
      'A revoked key, a key of another tenant or an unknown id is 404. ' +
      CACHED,
  })
  @ApiParam(KEY_ID)
  @ApiOkResponse({ type: ApiKeySecretResponse })
  @ApiAuthenticated()
  @ApiProblems(404)
  rotate(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) apiKeyId: string, @Query() _query: NoQueryParams): Promise<ApiKeySecretResponse> {
    return this.rpc.call(IDENTITY_RPC.rotateApiKey, { apiKeyId }, { principal });
  }
}
