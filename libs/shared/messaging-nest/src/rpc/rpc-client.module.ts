import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { createRpcClient, RpcClient, type RpcClientOptions } from './rpc-client';

@Injectable()
class RpcClientShutdown implements OnApplicationShutdown {
  constructor(@Inject(RpcClient) private readonly client: RpcClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** Provides an RpcClient (global) for services that call others over request/reply. */
@Module({})
export class RpcClientModule {
  static forRoot(options: RpcClientOptions): DynamicModule {
    return {
      module: RpcClientModule,
      global: true,
      providers: [{ provide: RpcClient, useFactory: () => createRpcClient(options) }, RpcClientShutdown],
      exports: [RpcClient],
    };
  }
}
