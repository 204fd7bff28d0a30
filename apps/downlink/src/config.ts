import { bootConfig, ConfigError, EnvInt } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';

export class DownlinkEnv extends DataServiceEnv(3005) {
  /** The EU868 data rate (DR0–DR6) class C frames go out at: the network's RX2 rate (ChirpStack's EU868 default is DR0). */
  @EnvInt({ min: 0, max: 6 })
  SIGNAGE_RX2_DATA_RATE: number = 0;

  /** Sends of a frame before it goes to the dead letters and its display is marked faulty (waits of 2, 4, 8, … s in between). */
  @EnvInt({ min: 1, max: 12 })
  SIGNAGE_MAX_SENDS: number = 6;

  /** Percent of each gateway's duty-cycle budget (per ETSI sub-band) kept unused. */
  @EnvInt({ min: 0, max: 90 })
  SIGNAGE_DUTY_CYCLE_HEADROOM_PERCENT: number = 20;

  /** Airtime a tenant's frames may use per hour, over all gateways, in seconds. */
  @EnvInt({ min: 1, max: 3_600 })
  SIGNAGE_TENANT_AIRTIME_SECONDS_PER_HOUR: number = 360;

  /** At most one frame per display per this many ms: a burst of changes sends its first and its newest. */
  @EnvInt({ min: 100, max: 600_000 })
  SIGNAGE_MIN_FRAME_INTERVAL_MS: number = 2_000;

  /** A display that neither confirmed a frame nor got one for this many minutes is sent what it should show again. */
  @EnvInt({ min: 1, max: 7 * 24 * 60 })
  SIGNAGE_REFRESH_MINUTES: number = 60;

  /** Days a finished command (confirmed, superseded or dead) and its events are kept; 0 keeps them forever. */
  @EnvInt({ min: 0, max: 36_500 })
  COMMAND_HISTORY_RETENTION_DAYS: number = 30;
}

export interface DownlinkConfig extends DataServiceConfig {
  signage: {
    rx2DataRate: number;
    minFrameIntervalMs: number;
    maxSends: number;
    headroom: number;
    tenantAirtimeMsPerHour: number;
    refreshIntervalMs: number;
  };
  retention: DataServiceConfig['retention'] & { commandDays: number };
}

/** For `main.ts`: validated configuration, or exit 78 naming every bad variable. */
export function bootDownlinkConfig(env: NodeJS.ProcessEnv = process.env): DownlinkConfig {
  return bootConfig(DownlinkEnv, downlinkConfigFrom, env);
}

export function downlinkConfigFrom(env: DownlinkEnv): DownlinkConfig {
  // Required here, unlike the other data services': chirpstack-sync answers this service's calls only with proofs signed by its own key.
  if (!env.RPC_SIGNING_KEY) {
    throw new ConfigError([{ variable: 'RPC_SIGNING_KEY', expected: "this service's Ed25519 private key as base64url PKCS#8 DER (npm run rpc:keys downlink makes one)", actual: 'not set' }]);
  }
  const base = dataServiceConfigFrom('downlink', env);
  return {
    ...base,
    retention: { ...base.retention, commandDays: env.COMMAND_HISTORY_RETENTION_DAYS },
    signage: {
      rx2DataRate: env.SIGNAGE_RX2_DATA_RATE,
      minFrameIntervalMs: env.SIGNAGE_MIN_FRAME_INTERVAL_MS,
      maxSends: env.SIGNAGE_MAX_SENDS,
      headroom: env.SIGNAGE_DUTY_CYCLE_HEADROOM_PERCENT / 100,
      tenantAirtimeMsPerHour: env.SIGNAGE_TENANT_AIRTIME_SECONDS_PER_HOUR * 1000,
      refreshIntervalMs: env.SIGNAGE_REFRESH_MINUTES * 60_000,
    },
  };
}
