// How each service builds its configuration when it starts, for the specs of the deployments:
// whatever compose or Kubernetes hands a service must get it through that same code.
import type { DeepReadonly } from '@parking/config';
import type { ServiceConfig } from '@parking/service-runtime';
import { bootChirpstackSyncConfig } from '../../apps/chirpstack-sync/src/config/chirpstack-sync-config';
import { bootDownlinkConfig } from '../../apps/downlink/src/config';
import { bootGatewayConfig } from '../../apps/gateway/src/config';
import { bootIdentityConfig } from '../../apps/identity/src/config/identity-config';
import { bootIngestConfig } from '../../apps/ingest/src/config';
import { bootOccupancyConfig } from '../../apps/occupancy/src/config';
import { bootReservationsConfig } from '../../apps/reservations/src/config';
import type { ServiceName } from '../local/stack-layout';

type Boot = () => ServiceConfig | DeepReadonly<ServiceConfig>;

/**
 * Each service's boot call, spelt as its start-<service>.ts makes it with the environment main.ts
 * passes (process.env) or the single-process host passes (the service's own); a spec checks both.
 */
export const SERVICE_BOOT: Record<ServiceName, { call: string; boot: Boot }> = {
  gateway: { call: 'bootGatewayConfig(env)', boot: () => bootGatewayConfig() },
  identity: { call: 'bootIdentityConfig(env)', boot: () => bootIdentityConfig() },
  ingest: { call: 'bootIngestConfig(env)', boot: () => bootIngestConfig() },
  occupancy: { call: 'bootOccupancyConfig(env)', boot: () => bootOccupancyConfig() },
  reservations: { call: 'bootReservationsConfig(env)', boot: () => bootReservationsConfig() },
  downlink: { call: 'bootDownlinkConfig(env)', boot: () => bootDownlinkConfig() },
  'chirpstack-sync': { call: 'bootChirpstackSyncConfig(env)', boot: () => bootChirpstackSyncConfig() },
};

/**
 * Boots `service`'s configuration from `env` and nothing else, as its process would. Where the
 * process would print why and exit 78, this throws an Error with that message instead.
 */
export function bootServiceWith(service: ServiceName, env: NodeJS.ProcessEnv): DeepReadonly<ServiceConfig> {
  const saved = { env: process.env, exit: process.exit, write: process.stderr.write };
  let printed = '';
  process.env = { ...env };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.exit = ((code?: number) => {
    throw new Error(`${service} would exit ${code}: ${printed.trim()}`);
  }) as typeof process.exit;
  try {
    return SERVICE_BOOT[service].boot() as DeepReadonly<ServiceConfig>;
  } finally {
    process.env = saved.env;
    process.exit = saved.exit;
    process.stderr.write = saved.write;
  }
}
