import { Controller } from '@nestjs/common';
import { IDENTITY_RPC, JwksResponse } from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { SigningKeys } from './signing-keys';

@Controller()
export class JwksRpc {
  constructor(private readonly keys: SigningKeys) {}

  @RpcHandler(IDENTITY_RPC.jwks)
  jwks(): Promise<JwksResponse> {
    return this.keys.jwks();
  }
}
