import { Inject, Injectable } from '@nestjs/common';
import type { OccupancyRpcSubject } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../config';

/**
 * Request/reply to the occupancy service. Its `{code, detail}` errors come back as
 * DomainErrors (404 for another tenant's object, 409 CONFLICT, 403 LIMIT_EXCEEDED …).
 */
@Injectable()
export class OccupancyClient {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  send<TResponse, TRequest = unknown>(subject: OccupancyRpcSubject, request: TRequest): Promise<TResponse> {
    return this.rpc.send<TRequest, TResponse>(subject, request, { timeoutMs: this.config.rpc.timeoutMs });
  }
}
