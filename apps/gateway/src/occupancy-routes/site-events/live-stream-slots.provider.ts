import type { Provider } from '@nestjs/common';
import { CONFIG } from '@parking/config';
import { AccessEndings } from '../../auth/access-endings';
import type { GatewayConfig } from '../../config';
import { LiveStreamSlots } from './live-stream-slots';

/** The process's one LiveStreamSlots, capped by the configuration and told of every ending of access. */
export const LIVE_STREAM_SLOTS: Provider = {
  provide: LiveStreamSlots,
  inject: [CONFIG, AccessEndings],
  useFactory: (config: GatewayConfig, endings: AccessEndings): LiveStreamSlots => {
    const slots = new LiveStreamSlots(config.liveStreams);
    endings.listen((ending) => slots.endFor(ending));
    return slots;
  },
};
