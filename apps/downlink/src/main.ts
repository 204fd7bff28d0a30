import './tracing';
import { bootDataServiceConfig, runService } from '@parking/service-runtime';
import { DownlinkModule } from './downlink.module';

const config = bootDataServiceConfig('downlink', 3005);
void runService({ config, module: DownlinkModule.forRoot(config), rpc: true });
