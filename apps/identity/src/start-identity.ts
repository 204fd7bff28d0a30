import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService, type RunServiceOptions } from '@parking/service-runtime';
import { bootIdentityConfig } from './config/identity-config';
import { IdentityModule } from './identity.module';

/** Identity with its configuration from `env`: from main.ts, or beside the other services in one process. */
export function startIdentity(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootIdentityConfig(env);
  return runService({ config, module: IdentityModule.forRoot(config), rpc: true, ...host });
}
