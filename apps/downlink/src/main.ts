import './tracing';
import { runService } from '@parking/service-runtime';
import { bootDownlinkConfig } from './config';
import { DownlinkModule } from './downlink.module';

const config = bootDownlinkConfig();
void runService({ config, module: DownlinkModule.forRoot(config), rpc: true });
