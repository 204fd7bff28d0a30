import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IDENTITY_RPC, type CallerContext, type ConfirmPasswordResetRequest, type RequestPasswordResetRequest } from '@parking/contracts';
import { Public } from '../auth/access-requirements';
import { ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';
import { NoQueryParams } from './dto/no-query-params.dto';
import { AcceptedView, OkView, PasswordResetBody, PasswordResetConfirmBody } from './dto/session.dto';
import { IdentityClient } from './identity-client';

@ApiTags('auth')
@Public()
@Controller(['api/v1/auth/password-reset', 'api/auth/password-reset'])
export class PasswordResetController {
  constructor(private readonly identity: IdentityClient) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a reset link; answers alike whether or not the email exists' })
  @ApiAcceptedResponse({ type: AcceptedView })
  @ApiPublicRoute()
  request(@Body() body: PasswordResetBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<AcceptedView> {
    return this.identity.send(IDENTITY_RPC.requestPasswordReset, { email: body.email, caller } satisfies RequestPasswordResetRequest);
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password with the single-use token; signs out every session' })
  @ApiOkResponse({ type: OkView })
  @ApiPublicRoute()
  @ApiProblems(401)
  confirm(@Body() body: PasswordResetConfirmBody, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.identity.send(IDENTITY_RPC.confirmPasswordReset, { ...body, caller } satisfies ConfirmPasswordResetRequest);
  }
}
