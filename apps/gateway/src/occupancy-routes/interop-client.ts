import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import type { CompressedView, Principal, RpcContract, SiteRef } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';

const gunzipAsync = promisify(gunzip);

/**
 * A site's FIWARE and DATEX II views from occupancy (errors as in every RPC call). The views
 * arrive compressed (see CompressedView) and leave as plain JSON.
 */
@Injectable()
export class InteropClient {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  async view<TView>(contract: RpcContract<SiteRef, CompressedView>, request: SiteRef, principal: Principal): Promise<TView> {
    const compressed = await this.rpc.call(contract, request, { principal });
    const json = await gunzipAsync(Buffer.from(compressed.data, 'base64'));
    return JSON.parse(json.toString('utf8')) as TView;
  }
}
