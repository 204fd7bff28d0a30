import './tracing';
import { runService } from '@parking/service-runtime';
import { bootOccupancyConfig } from './config';
import { OccupancyModule } from './occupancy.module';

const config = bootOccupancyConfig();
void runService({ config, module: OccupancyModule.forRoot(config, { transitionRetention: config.transitionRetention }), rpc: true });
