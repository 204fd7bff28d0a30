import { bootConfig, ConfigError } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';

export class DownlinkEnv extends DataServiceEnv(3005) {}

/** For `main.ts`: validated configuration, or exit 78 naming every bad variable. */
export function bootDownlinkConfig(): DataServiceConfig {
  return bootConfig(DownlinkEnv, downlinkConfigFrom);
}

export function downlinkConfigFrom(env: DownlinkEnv): DataServiceConfig {
  // Required here, unlike the other data services': chirpstack-sync answers this service's calls only with proofs signed by its own key.
  if (!env.RPC_SIGNING_KEY) {
    throw new ConfigError([{ variable: 'RPC_SIGNING_KEY', expected: "this service's Ed25519 private key as base64url PKCS#8 DER (npm run rpc:keys downlink makes one)", actual: 'not set' }]);
  }
  return dataServiceConfigFrom('downlink', env);
}
