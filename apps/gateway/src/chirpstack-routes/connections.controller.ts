import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CHIRPSTACK_RPC,
  CONNECTION_PAGE_MAX,
  CONNECTIONS_PER_TENANT_MAX,
  ConnectionPage,
  ConnectionTestView,
  ConnectionView,
  CreateConnectionBody,
  ListConnectionsRequest,
  UpdateConnectionBody,
  type Principal,
} from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { RequirePermission } from '../auth/access-requirements';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { NoQueryParams } from '../http-params/no-query-params';
import { UuidParam } from '../http-params/uuid-param';
import { ApiAuthenticated, type RouteProblem } from '../openapi/api-docs.decorators';

const INSTANCE = '/api/v1/chirpstack/connections';
const CONNECTION_ID_PARAM = { name: 'id', format: 'uuid', example: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', description: 'The ChirpStack connection' } as const;

const CONNECTION_NOT_FOUND: RouteProblem = {
  code: 'NOT_FOUND',
  when: 'No connection of the tenant has this id (another tenant\'s is the same)',
  detail: 'ChirpStack connection "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" does not exist.',
  instance: `${INSTANCE}/3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c`,
};
const NAME_TAKEN: RouteProblem = {
  code: 'CONFLICT',
  when: 'The name is taken, the version is stale, the default would be switched off, or the tenant has the most connections allowed',
  detail: 'The tenant already has a connection named "Production LNS"; pick another name.',
  instance: INSTANCE,
  extras: { errors: [{ field: 'name', message: 'is taken' }] },
};
const TOKEN_NOTE = 'The API token is stored sealed and is never answered or logged.';

/** ChirpStack connections of the tenant (owned by the chirpstack-sync service). */
@ApiTags('chirpstack')
@Controller('api/v1/chirpstack/connections')
export class ConnectionsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @RequirePermission('chirpstack:write')
  @Post()
  @ApiOperation({
    summary: "Add a ChirpStack connection: where its API is, its token, and where the tenant's devices go",
    description: `Needs \`chirpstack:write\`. ${TOKEN_NOTE} The tenant's first connection is its default; \`isDefault: true\` makes this one the default instead. At most ${CONNECTIONS_PER_TENANT_MAX} a tenant. Test it with POST ${INSTANCE}/{id}/test.`,
  })
  @ApiCreatedResponse({ type: ConnectionView })
  @ApiAuthenticated(NAME_TAKEN)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateConnectionBody, @Query() _query: NoQueryParams): Promise<ConnectionView> {
    return this.rpc.call(CHIRPSTACK_RPC.createConnection, body, { principal });
  }

  @RequirePermission('chirpstack:read')
  @Get()
  @ApiOperation({
    summary: "The tenant's ChirpStack connections, oldest first",
    description: `Needs \`chirpstack:read\`. Keyset-paginated: pass \`nextCursor\` back as \`cursor\`; \`limit\` 1 to ${CONNECTION_PAGE_MAX} (default 50). ${TOKEN_NOTE}`,
  })
  @ApiOkResponse({ type: ConnectionPage })
  @ApiAuthenticated()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListConnectionsRequest): Promise<ConnectionPage> {
    return this.rpc.call(CHIRPSTACK_RPC.listConnections, query, { principal });
  }

  @RequirePermission('chirpstack:read')
  @Get(':id')
  @ApiOperation({ summary: 'One ChirpStack connection', description: `Needs \`chirpstack:read\`. ${TOKEN_NOTE} Another tenant's connection is 404, like an unknown id.` })
  @ApiParam(CONNECTION_ID_PARAM)
  @ApiOkResponse({ type: ConnectionView })
  @ApiAuthenticated(CONNECTION_NOT_FOUND)
  get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) connectionId: string, @Query() _query: NoQueryParams): Promise<ConnectionView> {
    return this.rpc.call(CHIRPSTACK_RPC.getConnection, { connectionId }, { principal });
  }

  @RequirePermission('chirpstack:write')
  @Put(':id')
  @ApiOperation({
    summary: 'Replace a ChirpStack connection whole; the token stays unless a new one is sent',
    description:
      'Needs `chirpstack:write`. Send every field but `apiToken` (send it only to change it). `isDefault` absent keeps what it is; the default cannot be switched off, only replaced by making another connection the default. ' +
      'Send the `version` you read to get 409 CONFLICT instead of overwriting a newer change.',
  })
  @ApiParam(CONNECTION_ID_PARAM)
  @ApiOkResponse({ type: ConnectionView })
  @ApiAuthenticated(CONNECTION_NOT_FOUND, NAME_TAKEN)
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) connectionId: string, @Body() body: UpdateConnectionBody, @Query() _query: NoQueryParams): Promise<ConnectionView> {
    return this.rpc.call(CHIRPSTACK_RPC.updateConnection, { ...body, connectionId }, { principal });
  }

  @RequirePermission('chirpstack:write')
  @Delete(':id')
  @ApiOperation({
    summary: 'Remove a ChirpStack connection',
    description: "Needs `chirpstack:write`. Answers the connection as it was. When it was the default, the tenant's oldest remaining connection becomes the default.",
  })
  @ApiParam(CONNECTION_ID_PARAM)
  @ApiOkResponse({ type: ConnectionView, description: 'The connection as it was' })
  @ApiAuthenticated(CONNECTION_NOT_FOUND)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) connectionId: string, @Query() _query: NoQueryParams): Promise<ConnectionView> {
    return this.rpc.call(CHIRPSTACK_RPC.deleteConnection, { connectionId }, { principal });
  }

  @RequirePermission('chirpstack:write')
  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Call ChirpStack with the connection and report what it found',
    description:
      'Needs `chirpstack:write`. Checks that the API answers and accepts the token, that the application exists in the named ChirpStack tenant, and that each codec\'s device profile exists there; ' +
      'lists the tenant\'s device profiles. A failed check is a finding (`ok: false` with what to fix), not an error. Changes nothing.',
  })
  @ApiParam(CONNECTION_ID_PARAM)
  @ApiOkResponse({ type: ConnectionTestView })
  @ApiAuthenticated(CONNECTION_NOT_FOUND)
  test(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) connectionId: string, @Query() _query: NoQueryParams): Promise<ConnectionTestView> {
    return this.rpc.call(CHIRPSTACK_RPC.testConnection, { connectionId }, { principal });
  }
}
