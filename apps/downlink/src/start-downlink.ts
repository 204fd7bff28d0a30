import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService, type RunServiceOptions } from '@parking/service-runtime';
import { bootDownlinkConfig } from './config';
import { DownlinkModule } from './downlink.module';

/** The downlink service with its configuration from `env`: from main.ts, or beside the other services in one process. */
export function startDownlink(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootDownlinkConfig(env);
  return runService({ config, module: DownlinkModule.forRoot(config), rpc: true, ...host });
}
