import { Body, Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptedView, ConfirmPasswordResetRequest, IDENTITY_RPC, OkView, PASSWORD_MAX, PASSWORD_MIN, RequestPasswordResetRequest, type CallerContext } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { Public } from '../auth/access-requirements';
import { NoQueryParams } from '../http-params/no-query-params';
import { ApiProblems, ApiPublicRoute } from '../openapi/api-docs.decorators';
import { Caller } from './caller.decorator';

/** The sentence both routes end with: they are also served under the previous platform's path. */
const alsoAt = (oldPath: string): string =>
  `The previous platform's path ${oldPath} serves the same operation for its clients, with the same request and answer.`;

@ApiTags('auth')
@Public()
@Controller(['api/v1/auth/password-reset', 'api/auth/password-reset'])
export class PasswordResetController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mail a reset link; answers alike whether or not the email exists',
    description:
      'Public. Always answers 202 `{accepted: true}`, in about the same time, so the answer does not tell whether the email has an account. ' +
      'If it has, a link with a single-use token (valid for an hour by default) is mailed; confirm it with POST /api/v1/auth/password-reset/confirm. ' +
      alsoAt('/api/auth/password-reset'),
  })
  @ApiAcceptedResponse({ type: AcceptedView })
  @ApiPublicRoute()
  request(@Body() body: RequestPasswordResetRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<AcceptedView> {
    return this.rpc.call(IDENTITY_RPC.requestPasswordReset, body, { caller });
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a new password with the single-use token; signs out every session',
    description:
      `Public: the mailed token is the credential. \`newPassword\` takes ${PASSWORD_MIN} to ${PASSWORD_MAX} characters, spaces included. ` +
      'Every refresh token of the user is revoked, so other sessions end when their access tokens expire. An unknown, used or expired token is 401 INVALID_TOKEN. ' +
      alsoAt('/api/auth/password-reset/confirm'),
  })
  @ApiOkResponse({ type: OkView })
  @ApiPublicRoute()
  @ApiProblems(401)
  confirm(@Body() body: ConfirmPasswordResetRequest, @Caller() caller: CallerContext, @Query() _query: NoQueryParams): Promise<OkView> {
    return this.rpc.call(IDENTITY_RPC.confirmPasswordReset, body, { caller });
  }
}
