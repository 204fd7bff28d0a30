import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AuthenticateApiKeyResponse,
  CreateApiKeyResponse,
  IDENTITY_RPC,
  ListApiKeysResponse,
  RevokeApiKeyResponse,
  RotateApiKeyResponse,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '../authorization/acting-principal';
import { readSecret } from '../sessions/sessions.rpc';
import { RequestReader } from '../validation/request-reader';
import { ApiKeysUseCases } from './api-keys.use-cases';
import { AuthenticateApiKeyUseCase } from './authenticate-api-key.use-case';

@Controller()
export class ApiKeysRpc {
  constructor(
    private readonly keys: ApiKeysUseCases,
    private readonly authenticateUseCase: AuthenticateApiKeyUseCase,
  ) {}

  @RpcHandler(IDENTITY_RPC.createApiKey)
  create(@Payload() payload: unknown): Promise<CreateApiKeyResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const command = { name: input.string('name', { max: 100 }), scopes: input.permissions('scopes'), expiresAt: input.optionalFutureDate('expiresAt') };
    input.done();
    return this.keys.create(principal, command);
  }

  @RpcHandler(IDENTITY_RPC.listApiKeys)
  list(@Payload() payload: unknown): Promise<ListApiKeysResponse> {
    const principal = principalOf(payload);
    const input = new RequestReader(payload);
    const page = input.page();
    input.done();
    return this.keys.list(principal, page);
  }

  @RpcHandler(IDENTITY_RPC.revokeApiKey)
  revoke(@Payload() payload: unknown): Promise<RevokeApiKeyResponse> {
    return this.keys.revoke(principalOf(payload), readId(payload, 'apiKeyId'));
  }

  @RpcHandler(IDENTITY_RPC.rotateApiKey)
  rotate(@Payload() payload: unknown): Promise<RotateApiKeyResponse> {
    return this.keys.rotate(principalOf(payload), readId(payload, 'apiKeyId'));
  }

  @RpcHandler(IDENTITY_RPC.authenticateApiKey)
  authenticate(@Payload() payload: unknown): Promise<AuthenticateApiKeyResponse> {
    return this.authenticateUseCase.execute(readSecret(payload, 'key'));
  }
}

export function readId(payload: unknown, field: string): string {
  const input = new RequestReader(payload);
  const id = input.uuid(field);
  input.done();
  return id;
}
