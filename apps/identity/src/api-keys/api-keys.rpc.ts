import { Controller } from '@nestjs/common';
import {
  ApiKeyRef,
  AuthenticateApiKeyRequest,
  AuthenticateApiKeyResponse,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  IDENTITY_RPC,
  ListApiKeysRequest,
  ListApiKeysResponse,
  PAGE_SIZE_DEFAULT,
  RevokeApiKeyResponse,
  RotateApiKeyResponse,
  type ReceivedRpcContext,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { principalOf } from '@parking/service-runtime';
import { ApiKeysUseCases } from './api-keys.use-cases';
import { AuthenticateApiKeyUseCase } from './authenticate-api-key.use-case';

@Controller()
export class ApiKeysRpc {
  constructor(
    private readonly keys: ApiKeysUseCases,
    private readonly authenticateUseCase: AuthenticateApiKeyUseCase,
  ) {}

  @RpcHandler(IDENTITY_RPC.createApiKey)
  create(request: CreateApiKeyRequest, context: ReceivedRpcContext): Promise<CreateApiKeyResponse> {
    const { name, scopes, expiresAt } = request;
    return this.keys.create(principalOf(context), { name, scopes, expiresAt: expiresAt ? new Date(expiresAt) : null });
  }

  @RpcHandler(IDENTITY_RPC.listApiKeys)
  list(request: ListApiKeysRequest, context: ReceivedRpcContext): Promise<ListApiKeysResponse> {
    return this.keys.list(principalOf(context), { cursor: request.cursor, limit: request.limit ?? PAGE_SIZE_DEFAULT });
  }

  @RpcHandler(IDENTITY_RPC.revokeApiKey)
  revoke(request: ApiKeyRef, context: ReceivedRpcContext): Promise<RevokeApiKeyResponse> {
    return this.keys.revoke(principalOf(context), request.apiKeyId);
  }

  @RpcHandler(IDENTITY_RPC.rotateApiKey)
  rotate(request: ApiKeyRef, context: ReceivedRpcContext): Promise<RotateApiKeyResponse> {
    return this.keys.rotate(principalOf(context), request.apiKeyId);
  }

  @RpcHandler(IDENTITY_RPC.authenticateApiKey)
  authenticate(request: AuthenticateApiKeyRequest): Promise<AuthenticateApiKeyResponse> {
    return this.authenticateUseCase.execute(request.key);
  }
}
