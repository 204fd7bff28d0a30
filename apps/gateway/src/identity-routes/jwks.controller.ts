import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IDENTITY_RPC, JwksResponse } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { Public } from '../auth/access-requirements';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiProblems } from '../openapi/api-docs.decorators';

@ApiTags('auth')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Public keys that verify access tokens (ES256)',
    description:
      'Public. A JSON Web Key Set: the current signing key and keys retired within the grace period, so tokens signed shortly before a key rotation still verify; pick the key by the token’s `kid`. ' +
      'Answered with Cache-Control: public, max-age=300.',
  })
  @ApiOkResponse({ type: JwksResponse })
  @ApiProblems(429, 503, 504)
  jwks(@Query() _query: NoQueryParams): Promise<JwksResponse> {
    return this.rpc.call(IDENTITY_RPC.jwks, {});
  }
}
