import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { IDENTITY_RPC, LoginResponse, LogoutResponse, MeResponse, RefreshResponse, RegisterResponse } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '../authorization/acting-principal';
import { callerIp, RequestReader } from '../validation/request-reader';
import { LoginUseCase, readLogin } from './login.use-case';
import { LogoutUseCase } from './logout.use-case';
import { MeUseCase } from './me.use-case';
import { RefreshUseCase } from './refresh.use-case';
import { readRegister, RegisterUseCase } from './register.use-case';

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
  register(@Payload() payload: unknown): Promise<RegisterResponse> {
    return this.registerUseCase.execute(readRegister(payload));
  }

  @RpcHandler(IDENTITY_RPC.login)
  login(@Payload() payload: unknown): Promise<LoginResponse> {
    return this.loginUseCase.execute(readLogin(payload, callerIp(payload)));
  }

  @RpcHandler(IDENTITY_RPC.refresh)
  refresh(@Payload() payload: unknown): Promise<RefreshResponse> {
    return this.refreshUseCase.execute(readSecret(payload, 'refreshToken'));
  }

  @RpcHandler(IDENTITY_RPC.logout)
  async logout(@Payload() payload: unknown): Promise<LogoutResponse> {
    await this.logoutUseCase.execute(readSecret(payload, 'refreshToken'));
    return { ok: true };
  }

  @RpcHandler(IDENTITY_RPC.me)
  me(@Payload() payload: unknown): Promise<MeResponse> {
    return this.meUseCase.execute(principalOf(payload));
  }
}

export function readSecret(payload: unknown, field: string): string {
  const input = new RequestReader(payload);
  const value = input.secret(field);
  input.done();
  return value;
}
