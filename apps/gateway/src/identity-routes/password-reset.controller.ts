import { Body, Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptedView, ConfirmPasswordResetRequest, IDENTITY_RPC, OkView, RequestPasswordResetRequest, type CallerContext } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { Public } from '../auth/access-requirements';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';

@ApiTags('auth')
@Public()
@Controller(['api/v1/auth/password-reset', 'api/auth/password-reset'])
export class PasswordResetController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Mail a reset link; answers alike whether or not the email exists' })
  @ApiAcceptedResponse({ type: AcceptedView })
  @ApiPublicRoute()
  request(@Body() body: RequestPasswordResetRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<AcceptedView> {
    return this.rpc.call(IDENTITY_RPC.requestPasswordReset, body, { caller });
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password with the single-use token; signs out every session' })
  @ApiOkResponse({ type: OkView })
  @ApiPublicRoute()
  @ApiProblems(401)
  confirm(@Body() body: ConfirmPasswordResetRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.rpc.call(IDENTITY_RPC.confirmPasswordReset, body, { caller });
  }
}
