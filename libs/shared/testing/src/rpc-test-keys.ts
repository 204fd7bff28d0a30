import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';

/**
 * The RPC proof keys of a test process: the services it launches trust this key as the
 * gateway's, and its own RPC clients sign with it, so a spec can call a service as the
 * gateway would. Made once per process; never used outside tests.
 */
const pair = generateProofKeyPair();

export const TEST_RPC_KEYS = {
  /** `createRpcClient({ …, proof: TEST_RPC_KEYS.gatewayProof })` calls as the gateway. */
  gatewayProof: { issuer: 'gateway', signingKey: pair.privateKey },
  /** RPC_TRUSTED_KEYS of every launched service. */
  trustedKeys: trustedKeyEntry('gateway', pair.publicKey),
} as const;

/**
 * Specs write a request as one object, `{ principal, caller, ...input }`; on the wire the
 * principal and caller travel only in the signed proof. This splits them apart.
 */
export function splitSpecRequest(payload: unknown): { input: unknown; context: { principal?: never; caller?: never } } {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { input: payload, context: {} };
  const { principal, caller, ...input } = payload as Record<string, unknown>;
  return { input, context: { ...(principal === undefined ? {} : { principal: principal as never }), ...(caller === undefined ? {} : { caller: caller as never }) } };
}
