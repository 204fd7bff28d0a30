import './tracing';
import { runService } from '@parking/service-runtime';
import { bootIdentityConfig } from './config/identity-config';
import { IdentityModule } from './identity.module';

const config = bootIdentityConfig();
void runService({ config, module: IdentityModule.forRoot(config), rpc: true });
