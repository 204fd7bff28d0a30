import { loadConfig } from '@parking/config';
import { generateProofKeyPair } from '@parking/rpc-proof';
import { gatewayConfigFrom, GatewayEnv, type GatewayConfig } from '../config';

/**
 * The gateway's configuration for describing its API without running it: preview mode connects
 * to nothing and signs nothing, so the NATS address and the RPC key only have to be well formed.
 */
export function previewGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return gatewayConfigFrom(loadConfig(GatewayEnv, { ...env, NATS_URL: env.NATS_URL || 'nats://127.0.0.1:4222', RPC_SIGNING_KEY: generateProofKeyPair().privateKey }));
}
