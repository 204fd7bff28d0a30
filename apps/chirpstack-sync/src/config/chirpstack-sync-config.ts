import { Inject } from '@nestjs/common';
import { bootConfig, DeepReadonly, SecretsKeyEnv, SecretsKeys, secretsKeysFrom } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';

/** The data-service variables plus SECRETS_KEY, this service's own (never identity's value). */
export class ChirpstackSyncEnv extends SecretsKeyEnv(DataServiceEnv(3006)) {}

export interface ChirpstackSyncConfig extends DataServiceConfig {
  /** SECRETS_KEY: seals ChirpStack connection API tokens. */
  secretsKey: SecretsKeys;
}

export const CHIRPSTACK_SYNC_CONFIG = Symbol('CHIRPSTACK_SYNC_CONFIG');
export const InjectChirpstackSyncConfig = (): ParameterDecorator => Inject(CHIRPSTACK_SYNC_CONFIG);

export function chirpstackSyncConfigFrom(env: ChirpstackSyncEnv): ChirpstackSyncConfig {
  return {
    ...dataServiceConfigFrom('chirpstack-sync', env),
    secretsKey: secretsKeysFrom(env.SECRETS_KEY, env.SECRETS_KEY_PREVIOUS),
  };
}

/** For main.ts: validated configuration, or exit 78 naming every bad variable. */
export function bootChirpstackSyncConfig(): DeepReadonly<ChirpstackSyncConfig> {
  return bootConfig(ChirpstackSyncEnv, chirpstackSyncConfigFrom);
}
