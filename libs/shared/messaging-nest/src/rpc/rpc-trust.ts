import type { RpcContract, ReceivedRpcContext } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { ProofError, type RpcProofVerifier } from '@parking/rpc-proof';

/**
 * The keys this process accepts RPC proofs from, set once at boot from RPC_TRUSTED_KEYS
 * (runService does it). Handlers are declared by decorators before any configuration
 * exists, hence a process-wide setting; without it every request is refused.
 */
let verifier: RpcProofVerifier | undefined;

export function trustRpcCallers(trusted: RpcProofVerifier | undefined): void {
  verifier = trusted;
}

/**
 * Who a request speaks for, from its proof, checked against what the contract allows: a
 * caller it names, a principal only from the gateway (a service never acts with a tenant
 * user's power), and a principal where the command needs one.
 */
export async function verifiedCaller(contract: RpcContract<object, unknown>, proof: string | undefined, input: unknown): Promise<ReceivedRpcContext> {
  if (!verifier) throw new DomainError('UNAUTHENTICATED', 'This service trusts no RPC caller yet (RPC_TRUSTED_KEYS is not set).');
  let caller: ReceivedRpcContext;
  try {
    caller = await verifier.verify(proof, contract.subject, input);
  } catch (error) {
    if (error instanceof ProofError) throw new DomainError('UNAUTHENTICATED', `Refused: ${error.message}.`);
    throw error;
  }
  if (!contract.callers.includes(caller.issuer)) {
    throw new DomainError('FORBIDDEN', `${contract.subject} does not take requests from ${caller.issuer}.`);
  }
  if (caller.principal && caller.issuer !== 'gateway') {
    throw new DomainError('FORBIDDEN', `A service (${caller.issuer}) proves itself, never a tenant's user; its proof may carry no principal.`);
  }
  if (contract.access === 'tenant' && !caller.principal) {
    throw new DomainError('UNAUTHENTICATED', 'This request needs an authenticated principal.');
  }
  return caller;
}
