import './tracing';
import { bootDataServiceConfig, runService } from '@parking/service-runtime';
import { IngestModule } from './ingest.module';

const config = bootDataServiceConfig('ingest', 3002);
void runService({ config, module: IngestModule.forRoot(config), rpc: true });
