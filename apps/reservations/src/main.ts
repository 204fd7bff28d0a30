import './tracing';
import { bootDataServiceConfig, runService } from '@parking/service-runtime';
import { ReservationsModule } from './reservations.module';

const config = bootDataServiceConfig('reservations', 3004);
void runService({ config, module: ReservationsModule.forRoot(config), rpc: true });
