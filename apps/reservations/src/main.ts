import './tracing';
import { runService } from '@parking/service-runtime';
import { bootReservationsConfig } from './config';
import { ReservationsModule } from './reservations.module';

const config = bootReservationsConfig();
void runService({ config, module: ReservationsModule.forRoot(config), rpc: true });
