import { Inject, Injectable } from '@nestjs/common';
import type { IdentityRpcSubject } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../config';

/**
 * Request/reply to identity with the gateway's RPC timeout. Its `{code, detail}` errors come
 * back as DomainErrors (so 404 NOT_FOUND for another tenant's id, 409, 401 …); no answer is
 * 503 UNAVAILABLE or 504 UPSTREAM_TIMEOUT.
 */
@Injectable()
export class IdentityClient {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  send<TResponse, TRequest = unknown>(subject: IdentityRpcSubject, request: TRequest): Promise<TResponse> {
    return this.rpc.send<TRequest, TResponse>(subject, request, { timeoutMs: this.config.rpc.timeoutMs });
  }
}
