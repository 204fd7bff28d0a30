import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService, type RunServiceOptions } from '@parking/service-runtime';
import { ChirpstackSyncModule } from './chirpstack-sync.module';
import { bootChirpstackSyncConfig } from './config/chirpstack-sync-config';

/** chirpstack-sync with its configuration from `env`: from main.ts, or beside the other services in one process. */
export function startChirpstackSync(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootChirpstackSyncConfig(env);
  return runService({ config, module: ChirpstackSyncModule.forRoot(config), rpc: true, ...host });
}
