import { bootConfig, EnvInt } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';

export class IngestEnv extends DataServiceEnv(3002) {
  /** Days a stored uplink is kept (device history; the space states are occupancy's); 0 keeps them forever. */
  @EnvInt({ min: 0, max: 36_500 })
  UPLINK_RETENTION_DAYS: number = 7;

  /** Days a device's ChirpStack log and integration events are kept; 0 keeps them forever. */
  @EnvInt({ min: 0, max: 36_500 })
  DEVICE_LOG_RETENTION_DAYS: number = 30;
}

export interface IngestConfig extends DataServiceConfig {
  retention: DataServiceConfig['retention'] & { uplinkDays: number; deviceLogDays: number };
}

export function ingestConfigFrom(env: IngestEnv): IngestConfig {
  const base = dataServiceConfigFrom('ingest', env);
  return { ...base, retention: { ...base.retention, uplinkDays: env.UPLINK_RETENTION_DAYS, deviceLogDays: env.DEVICE_LOG_RETENTION_DAYS } };
}

/** For `main.ts`: validated configuration, or exit 78 naming every bad variable. */
export function bootIngestConfig(environment: NodeJS.ProcessEnv = process.env): IngestConfig {
  return bootConfig(IngestEnv, ingestConfigFrom, environment);
}
