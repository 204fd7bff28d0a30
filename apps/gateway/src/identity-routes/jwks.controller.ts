import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IDENTITY_RPC, type JwksRequest } from '@parking/contracts';
import { Public } from '../auth/access-requirements';
import { ApiProblems } from '../openapi/api-docs.decorators';
import { JwksView } from './dto/session.dto';
import { NoQueryParams } from './dto/no-query-params.dto';
import { IdentityClient } from './identity-client';

@ApiTags('auth')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly identity: IdentityClient) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (ES256)' })
  @ApiOkResponse({ type: JwksView })
  @ApiProblems(429, 503, 504)
  jwks(@Query() _query: NoQueryParams): Promise<JwksView> {
    return this.identity.send(IDENTITY_RPC.jwks, {} satisfies JwksRequest);
  }
}
