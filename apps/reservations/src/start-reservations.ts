import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runService, type RunServiceOptions } from '@parking/service-runtime';
import { bootReservationsConfig } from './config';
import { ReservationsModule } from './reservations.module';

/** Reservations with its configuration from `env`: from main.ts, or beside the other services in one process. */
export function startReservations(env: NodeJS.ProcessEnv = process.env, host: Pick<RunServiceOptions, 'handleSignals'> = {}): Promise<NestFastifyApplication> {
  const config = bootReservationsConfig(env);
  return runService({ config, module: ReservationsModule.forRoot(config), rpc: true, ...host });
}
