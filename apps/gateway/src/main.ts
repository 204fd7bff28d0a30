import './tracing';
import { runService } from '@parking/service-runtime';
import { bootGatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

const config = bootGatewayConfig();
void runService({ config, module: GatewayModule.forRoot(config) });
