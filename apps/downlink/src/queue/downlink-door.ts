import { Inject, Injectable } from '@nestjs/common';
import { CHIRPSTACK_DOWNLINK_RPC, type EnqueueDownlinkAnswer, type EnqueueDownlinkRequest } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';

/** Where frames go: ChirpStack's queue of a device, through chirpstack-sync (the only holder of ChirpStack's credentials). */
export abstract class DownlinkDoor {
  abstract enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer>;
}

export const DOWNLINK_DOOR = Symbol('DOWNLINK_DOOR');

/** The door over NATS: `rpc.chirpstack-sync.v1.downlinks.enqueue`, signed as the downlink service. */
@Injectable()
export class RpcDownlinkDoor extends DownlinkDoor {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {
    super();
  }

  enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer> {
    return this.rpc.call(CHIRPSTACK_DOWNLINK_RPC.enqueue, request);
  }
}
