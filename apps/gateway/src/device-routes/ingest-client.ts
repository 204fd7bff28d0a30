import { Inject, Injectable } from '@nestjs/common';
import type { DevicesRpcSubject } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../config';

/** Imports may take longer than a single request; still well inside ingest's 15 s transaction limit. */
const IMPORT_TIMEOUT_MS = 20_000;

/**
 * Request/reply to ingest's device registry. Its `{code, detail}` errors come back as
 * DomainErrors (404 for another tenant's device, 409 DEVICE_EXISTS, 422 IMPORT_REJECTED …).
 */
@Injectable()
export class IngestClient {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  send<TResponse, TRequest = unknown>(subject: DevicesRpcSubject, request: TRequest): Promise<TResponse> {
    return this.rpc.send<TRequest, TResponse>(subject, request, { timeoutMs: this.config.rpc.timeoutMs });
  }

  sendImport<TResponse, TRequest = unknown>(subject: DevicesRpcSubject, request: TRequest): Promise<TResponse> {
    return this.rpc.send<TRequest, TResponse>(subject, request, { timeoutMs: Math.max(this.config.rpc.timeoutMs, IMPORT_TIMEOUT_MS) });
  }
}
