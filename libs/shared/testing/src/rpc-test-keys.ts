import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';

/**
 * The RPC proof keys of a test process, one pair per service that signs its own calls, as a
 * deployment has them: the services it launches trust every public half and each signing
 * service gets its own private half, and its own RPC clients sign with them, so a spec can
 * call a service as the gateway (or reservations, or downlink) would. Made once per process;
 * never used outside tests.
 */
const gateway = generateProofKeyPair();
const reservations = generateProofKeyPair();
const downlink = generateProofKeyPair();
const SIGNING_KEYS: ReadonlyMap<string, string> = new Map([
  ['gateway', gateway.privateKey],
  ['reservations', reservations.privateKey],
  ['downlink', downlink.privateKey],
]);

export const TEST_RPC_KEYS = {
  /** `createRpcClient({ …, proof: TEST_RPC_KEYS.gatewayProof })` calls as the gateway. */
  gatewayProof: { issuer: 'gateway', signingKey: gateway.privateKey },
  /** Calls as the reservations service: service access only, its proofs carry no principal. */
  reservationsProof: { issuer: 'reservations', signingKey: reservations.privateKey },
  /** Calls as the downlink service: service access only, like reservations. */
  downlinkProof: { issuer: 'downlink', signingKey: downlink.privateKey },
  /** RPC_TRUSTED_KEYS of every launched service: every issuer, as every deployment lists them. */
  trustedKeys: [trustedKeyEntry('gateway', gateway.publicKey), trustedKeyEntry('reservations', reservations.publicKey), trustedKeyEntry('downlink', downlink.publicKey)].join(','),
  /** RPC_SIGNING_KEY of a launched service, for those that call others. */
  signingKeyOf: (service: string): string | undefined => SIGNING_KEYS.get(service),
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
