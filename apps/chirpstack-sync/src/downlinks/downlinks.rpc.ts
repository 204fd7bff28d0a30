import { Controller } from '@nestjs/common';
import {
  CHIRPSTACK_DOWNLINK_RPC,
  type EnqueueDownlinkAnswer,
  type EnqueueDownlinkRequest,
  type FlushDownlinkQueueAnswer,
  type FlushDownlinkQueueRequest,
} from '@parking/contracts';
import { RpcHandler } from '@parking/messaging-nest';
import { DownlinksUseCase } from './downlinks.use-case';

/** The downlink service's door to ChirpStack's queues (service access: its proof, no user principal). */
@Controller()
export class DownlinksRpc {
  constructor(private readonly downlinks: DownlinksUseCase) {}

  @RpcHandler(CHIRPSTACK_DOWNLINK_RPC.enqueue)
  enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer> {
    return this.downlinks.enqueue(request);
  }

  @RpcHandler(CHIRPSTACK_DOWNLINK_RPC.flush)
  flush(request: FlushDownlinkQueueRequest): Promise<FlushDownlinkQueueAnswer> {
    return this.downlinks.flush(request);
  }
}
