import './tracing';
import { bootDataServiceConfig, runService } from '@parking/service-runtime';
import { OccupancyModule } from './occupancy.module';

const config = bootDataServiceConfig('occupancy', 3003);
void runService({ config, module: OccupancyModule.forRoot(config), rpc: true });
