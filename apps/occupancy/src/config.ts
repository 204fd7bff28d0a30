import { bootConfig, EnvInt } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';

export class OccupancyEnv extends DataServiceEnv(3003) {
  /** Days raw space transitions are kept (the statistics rollups are kept regardless); 0 keeps them forever. */
  @EnvInt({ min: 0, max: 36_500 })
  TRANSITION_RETENTION_DAYS: number = 90;
}

export interface OccupancyConfig extends DataServiceConfig {
  retention: DataServiceConfig['retention'] & { transitionDays: number };
}

export function occupancyConfigFrom(env: OccupancyEnv): OccupancyConfig {
  const base = dataServiceConfigFrom('occupancy', env);
  return { ...base, retention: { ...base.retention, transitionDays: env.TRANSITION_RETENTION_DAYS } };
}

/** For `main.ts`: validated configuration, or exit 78 naming every bad variable. */
export function bootOccupancyConfig(environment: NodeJS.ProcessEnv = process.env): OccupancyConfig {
  return bootConfig(OccupancyEnv, occupancyConfigFrom, environment);
}
