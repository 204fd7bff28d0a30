import { Controller } from '@nestjs/common';
import {
  IDENTITY_RPC,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  LogoutResponse,
  MeRequest,
  MeResponse,
  RefreshRequest,
  RefreshResponse,
  RegisterRequest,
  RegistrationOutcome,
  VerifyEmailRequest,
  VerifyEmailResponse,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '@parking/service-runtime';
import { callerIp } from './caller-ip';
import { LoginUseCase } from './login.use-case';
import { LogoutUseCase } from './logout.use-case';
import { MeUseCase } from './me.use-case';
import { RefreshUseCase } from './refresh.use-case';
import { RegisterUseCase } from './register.use-case';

// Payloads here carry passwords and tokens: never log them.
@Controller()
export class SessionsRpc {
  constructor(
    private readonly registerUseCase: RegisterUseCase,
    private readonly loginUseCase: LoginUseCase,
    private readonly refreshUseCase: RefreshUseCase,
    private readonly logoutUseCase: LogoutUseCase,
    private readonly meUseCase: MeUseCase,
  ) {}

  @RpcHandler(IDENTITY_RPC.register)
  register(request: RegisterRequest): Promise<RegistrationOutcome> {
    return this.registerUseCase.execute(request);
  }

  @RpcHandler(IDENTITY_RPC.verifyEmail)
  verifyEmail(request: VerifyEmailRequest): Promise<VerifyEmailResponse> {
    return this.registerUseCase.verify(request.token);
  }

  @RpcHandler(IDENTITY_RPC.login)
  login(request: LoginRequest, context: ReceivedRpcContext): Promise<LoginResponse> {
    return this.loginUseCase.execute({ email: request.email, password: request.password, ip: callerIp(context) });
  }

  @RpcHandler(IDENTITY_RPC.refresh)
  refresh(request: RefreshRequest): Promise<RefreshResponse> {
    return this.refreshUseCase.execute(request.refreshToken);
  }

  @RpcHandler(IDENTITY_RPC.logout)
  async logout(request: LogoutRequest): Promise<LogoutResponse> {
    await this.logoutUseCase.execute(request.refreshToken);
    return { ok: true };
  }

  @RpcHandler(IDENTITY_RPC.me)
  me(_request: MeRequest, context: ReceivedRpcContext): Promise<MeResponse> {
    return this.meUseCase.execute(principalOf(context));
  }
}
