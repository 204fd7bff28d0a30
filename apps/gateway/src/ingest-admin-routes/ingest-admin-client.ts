import { Inject, Injectable } from '@nestjs/common';
import type { IngestAdminRpcSubject } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../config';

/** Assigning an orphan replays its kept events (up to 500 publishes) before it answers. */
const ASSIGN_TIMEOUT_MS = 20_000;

/** Request/reply to ingest's platform administration of the pipeline (orphans, dead letters). */
@Injectable()
export class IngestAdminClient {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  send<TResponse, TRequest = unknown>(subject: IngestAdminRpcSubject, request: TRequest, options: { long?: boolean } = {}): Promise<TResponse> {
    const timeoutMs = options.long ? Math.max(this.config.rpc.timeoutMs, ASSIGN_TIMEOUT_MS) : this.config.rpc.timeoutMs;
    return this.rpc.send<TRequest, TResponse>(subject, request, { timeoutMs });
  }
}
