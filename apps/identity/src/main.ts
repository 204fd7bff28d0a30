import './tracing';
import { bootDataServiceConfig, runService } from '@parking/service-runtime';
import { IdentityModule } from './identity.module';

const config = bootDataServiceConfig('identity', 3001);
void runService({ config, module: IdentityModule.forRoot(config), rpc: true });
