import { Inject, Injectable } from '@nestjs/common';
import type { OccupancyImportRpcSubject, OccupancyRpcSubject } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../config';

/** An import of 10,000 spaces takes seconds; still well inside occupancy's 15 s transaction limit. */
const IMPORT_TIMEOUT_MS = 20_000;

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

  sendImport<TResponse, TRequest = unknown>(subject: OccupancyImportRpcSubject, request: TRequest): Promise<TResponse> {
    return this.rpc.send<TRequest, TResponse>(subject, request, { timeoutMs: Math.max(this.config.rpc.timeoutMs, IMPORT_TIMEOUT_MS) });
  }
}
