import { bootConfig, ConfigError, EnvInt } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';

export class DownlinkEnv extends DataServiceEnv(3005) {
  /** The EU868 data rate (DR0–DR6) class C frames go out at: the network's RX2 rate (ChirpStack's EU868 default is DR0). */
  @EnvInt({ min: 0, max: 6 })
  SIGNAGE_RX2_DATA_RATE: number = 0;
}

export interface DownlinkConfig extends DataServiceConfig {
  signage: { rx2DataRate: number };
}

/** For `main.ts`: validated configuration, or exit 78 naming every bad variable. */
export function bootDownlinkConfig(): DownlinkConfig {
  return bootConfig(DownlinkEnv, downlinkConfigFrom);
}

export function downlinkConfigFrom(env: DownlinkEnv): DownlinkConfig {
  // Required here, unlike the other data services': chirpstack-sync answers this service's calls only with proofs signed by its own key.
  if (!env.RPC_SIGNING_KEY) {
    throw new ConfigError([{ variable: 'RPC_SIGNING_KEY', expected: "this service's Ed25519 private key as base64url PKCS#8 DER (npm run rpc:keys downlink makes one)", actual: 'not set' }]);
  }
  return { ...dataServiceConfigFrom('downlink', env), signage: { rx2DataRate: env.SIGNAGE_RX2_DATA_RATE } };
}
