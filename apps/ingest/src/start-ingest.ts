import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService, type RunServiceOptions } from '@parking/service-runtime';
import { bootIngestConfig } from './config';
import { IngestModule } from './ingest.module';

/** Ingest with its configuration from `env`: from main.ts, or beside the other services in one process. */
export function startIngest(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootIngestConfig(env);
  return runService({ config, module: IngestModule.forRoot(config), rpc: true, ...host });
}
