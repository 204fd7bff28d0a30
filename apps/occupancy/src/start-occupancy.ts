import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService, type RunServiceOptions } from '@parking/service-runtime';
import { bootOccupancyConfig } from './config';
import { OccupancyModule } from './occupancy.module';

/** Occupancy with its configuration from `env`: from main.ts, or beside the other services in one process. */
export function startOccupancy(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootOccupancyConfig(env);
  return runService({ config, module: OccupancyModule.forRoot(config), rpc: true, ...host });
}
