import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bootDataServiceConfig, runService, type RunServiceOptions } from '@parking/service-runtime';
import { IngestModule } from './ingest.module';

/** Ingest with its configuration from `env`: from main.ts, or beside the other services in one process. */
export function startIngest(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootDataServiceConfig('ingest', 3002, env);
  return runService({ config, module: IngestModule.forRoot(config), rpc: true, ...host });
}
