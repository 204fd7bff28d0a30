import { bootConfig, databaseUrl, EnvInt } from '@parking/config';
import { DataServiceConfig, DataServiceEnv, serviceConfigFrom } from '@parking/service-runtime';

class OccupancyEnv extends DataServiceEnv(3003) {
  /** Days raw space transitions are kept (the statistics rollups are kept regardless); 0 keeps them forever. */
  @EnvInt({ min: 0, max: 36_500 })
  TRANSITION_RETENTION_DAYS: number = 90;
}

export interface OccupancyConfig extends DataServiceConfig {
  transitionRetention: { days: number };
}

/** For `main.ts`: validated configuration, or exit 78 naming every bad variable. */
export function bootOccupancyConfig(environment: NodeJS.ProcessEnv = process.env): OccupancyConfig {
  return bootConfig(OccupancyEnv, (env) => ({
    ...serviceConfigFrom('occupancy', env),
    database: { url: databaseUrl(env), poolMax: env.DATABASE_POOL_MAX },
    transitionRetention: { days: env.TRANSITION_RETENTION_DAYS },
  }), environment) as OccupancyConfig;
}
