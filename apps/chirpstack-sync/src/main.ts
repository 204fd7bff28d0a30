import './tracing';
import { bootDataServiceConfig, runService } from '@parking/service-runtime';
import { ChirpstackSyncModule } from './chirpstack-sync.module';

const config = bootDataServiceConfig('chirpstack-sync', 3006);
void runService({ config, module: ChirpstackSyncModule.forRoot(config), rpc: true });
