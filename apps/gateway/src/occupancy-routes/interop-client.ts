import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import type { CompressedView, OccupancyInteropRpcSubject } from '@parking/contracts';
import { InjectConfig } from '@parking/config';
import { RpcClient } from '@parking/messaging-nest';
import type { GatewayConfig } from '../config';

const gunzipAsync = promisify(gunzip);

/**
 * Request/reply to the occupancy service for a site's FIWARE and DATEX II views (errors as in
 * OccupancyClient). The views arrive compressed (see CompressedView) and leave as plain JSON.
 */
@Injectable()
export class InteropClient {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  async view<TView, TRequest = unknown>(subject: OccupancyInteropRpcSubject, request: TRequest): Promise<TView> {
    const compressed = await this.rpc.send<TRequest, CompressedView>(subject, request, { timeoutMs: this.config.rpc.timeoutMs });
    const json = await gunzipAsync(Buffer.from(compressed.data, 'base64'));
    return JSON.parse(json.toString('utf8')) as TView;
  }
}
