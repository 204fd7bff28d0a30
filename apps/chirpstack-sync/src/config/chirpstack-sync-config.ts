import { Inject } from '@nestjs/common';
import { bootConfig, DeepReadonly, EnvInt, SecretsKeyEnv, SecretsKeys, secretsKeysFrom } from '@parking/config';
import { DataServiceConfig, dataServiceConfigFrom, DataServiceEnv } from '@parking/service-runtime';
import { DEFAULT_DEVICE_SYNC_OPTIONS, type DeviceSyncOptions } from '../devices/device-sync';
import type { GatewayHealthOptions } from '../gateways/gateway-health';
import { DEFAULT_RECONCILIATION_OPTIONS, type ReconciliationOptions } from '../reconciliation/reconciler';

/** The data-service variables plus SECRETS_KEY, this service's own (never identity's value). */
export class ChirpstackSyncEnv extends SecretsKeyEnv(DataServiceEnv(3006)) {
  /** The longest wait between two attempts to bring ChirpStack to a device (the waits double up to it). */
  @EnvInt({ min: 5, max: 86_400 })
  DEVICE_SYNC_RETRY_MAX_SECONDS: number = DEFAULT_DEVICE_SYNC_OPTIONS.backoff.maxMs / 1_000;

  /** How often every connection is reconciled with ChirpStack. */
  @EnvInt({ min: 10, max: 86_400 })
  RECONCILE_INTERVAL_SECONDS: number = DEFAULT_RECONCILIATION_OPTIONS.intervalMs / 1_000;

  /** Devices a reconciliation reads whole from ChirpStack (one Get each, paced), the least recently read first. */
  @EnvInt({ min: 0, max: 100_000 })
  RECONCILE_INSPECT_MAX: number = DEFAULT_RECONCILIATION_OPTIONS.inspectMax;

  /** How often ChirpStack's gateway states are read (online/offline). */
  @EnvInt({ min: 5, max: 3_600 })
  GATEWAY_POLL_INTERVAL_SECONDS: number = 60;

  /** Days a finished reconciliation run (its counts and findings) is kept; 0 keeps them forever. */
  @EnvInt({ min: 0, max: 36_500 })
  RECONCILIATION_RETENTION_DAYS: number = 30;

  /** Days the record of a downlink handed to ChirpStack is kept (it answers a repeated command with its first outcome). */
  @EnvInt({ min: 1, max: 36_500 })
  DOWNLINK_RECORD_RETENTION_DAYS: number = 30;
}

export interface ChirpstackSyncConfig extends DataServiceConfig {
  /** SECRETS_KEY: seals ChirpStack connection API tokens and devices' OTAA keys. */
  secretsKey: SecretsKeys;
  deviceSync: DeviceSyncOptions;
  reconciliation: ReconciliationOptions;
  gatewayHealth: GatewayHealthOptions;
  retention: DataServiceConfig['retention'] & { reconciliationDays: number; downlinkRecordDays: number };
}

export const CHIRPSTACK_SYNC_CONFIG = Symbol('CHIRPSTACK_SYNC_CONFIG');
export const InjectChirpstackSyncConfig = (): ParameterDecorator => Inject(CHIRPSTACK_SYNC_CONFIG);

export function chirpstackSyncConfigFrom(env: ChirpstackSyncEnv): ChirpstackSyncConfig {
  const base = dataServiceConfigFrom('chirpstack-sync', env);
  return {
    ...base,
    retention: { ...base.retention, reconciliationDays: env.RECONCILIATION_RETENTION_DAYS, downlinkRecordDays: env.DOWNLINK_RECORD_RETENTION_DAYS },
    secretsKey: secretsKeysFrom(env.SECRETS_KEY, env.SECRETS_KEY_PREVIOUS),
    gatewayHealth: { intervalMs: env.GATEWAY_POLL_INTERVAL_SECONDS * 1_000 },
    reconciliation: { ...DEFAULT_RECONCILIATION_OPTIONS, intervalMs: env.RECONCILE_INTERVAL_SECONDS * 1_000, inspectMax: env.RECONCILE_INSPECT_MAX },
    deviceSync: { ...DEFAULT_DEVICE_SYNC_OPTIONS, backoff: { ...DEFAULT_DEVICE_SYNC_OPTIONS.backoff, maxMs: env.DEVICE_SYNC_RETRY_MAX_SECONDS * 1_000 } },
  };
}

/** For main.ts: validated configuration, or exit 78 naming every bad variable. */
export function bootChirpstackSyncConfig(env: NodeJS.ProcessEnv = process.env): DeepReadonly<ChirpstackSyncConfig> {
  return bootConfig(ChirpstackSyncEnv, chirpstackSyncConfigFrom, env);
}
