import './tracing';
import { runService } from '@parking/service-runtime';
import { ChirpstackSyncModule } from './chirpstack-sync.module';
import { bootChirpstackSyncConfig } from './config/chirpstack-sync-config';

const config = bootChirpstackSyncConfig();
void runService({ config, module: ChirpstackSyncModule.forRoot(config), rpc: true });
