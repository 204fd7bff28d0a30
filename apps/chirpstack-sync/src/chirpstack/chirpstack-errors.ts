import { status, type ServiceError } from '@grpc/grpc-js';
import { DomainError } from '@parking/problem-details';
import { isBrokenCircuitError } from 'cockatiel';

/** What a failed ChirpStack call comes to, for the code that decides what to do next. */
export type ChirpStackFailure = 'unavailable' | 'timeout' | 'not_found' | 'already_exists' | 'invalid' | 'refused' | 'circuit_open' | 'failed';

/** A ChirpStack call that failed: the method, what it comes to, and gRPC's status. */
export class ChirpStackCallError extends Error {
  override readonly name = 'ChirpStackCallError';

  constructor(
    readonly method: string,
    readonly failure: ChirpStackFailure,
    readonly grpcStatus: status | null,
    detail: string,
  ) {
    super(`ChirpStack ${method}: ${detail}`);
  }

  /** Worth another try: the server may not have seen it, or was slow. */
  get transient(): boolean {
    return this.failure === 'unavailable' || this.failure === 'timeout';
  }
}

const FAILURE_OF: Partial<Record<status, ChirpStackFailure>> = {
  [status.UNAVAILABLE]: 'unavailable',
  [status.RESOURCE_EXHAUSTED]: 'unavailable',
  [status.DEADLINE_EXCEEDED]: 'timeout',
  [status.NOT_FOUND]: 'not_found',
  [status.ALREADY_EXISTS]: 'already_exists',
  [status.INVALID_ARGUMENT]: 'invalid',
  [status.FAILED_PRECONDITION]: 'invalid',
  [status.OUT_OF_RANGE]: 'invalid',
  [status.UNAUTHENTICATED]: 'refused',
  [status.PERMISSION_DENIED]: 'refused',
};

export function callErrorOf(method: string, error: unknown): ChirpStackCallError {
  if (error instanceof ChirpStackCallError) return error;
  if (isBrokenCircuitError(error)) return new ChirpStackCallError(method, 'circuit_open', null, 'calls are paused after repeated failures (circuit open)');
  const grpcError = error as Partial<ServiceError>;
  if (typeof grpcError.code === 'number') {
    return new ChirpStackCallError(method, FAILURE_OF[grpcError.code as status] ?? 'failed', grpcError.code, `${status[grpcError.code]} ${grpcError.details ?? ''}`.trim());
  }
  return new ChirpStackCallError(method, 'failed', null, (error as Error)?.message ?? String(error));
}

/**
 * The stable code a caller of ours gets for a failed call: UNAVAILABLE (503) while ChirpStack
 * cannot be reached or refuses the connection's token, UPSTREAM_TIMEOUT (504), NOT_FOUND,
 * VALIDATION_FAILED for what ChirpStack rejects, CONFLICT for what it holds already.
 */
export function domainErrorOf(error: ChirpStackCallError, connection: string): DomainError {
  switch (error.failure) {
    case 'timeout':
      return new DomainError('UPSTREAM_TIMEOUT', `ChirpStack (connection ${connection}) did not answer ${error.method} in time; retry later.`);
    case 'not_found':
      return new DomainError('NOT_FOUND', `ChirpStack (connection ${connection}) does not know what ${error.method} names.`);
    case 'already_exists':
      return new DomainError('CONFLICT', `ChirpStack (connection ${connection}) holds this already (${error.method}).`);
    case 'invalid':
      return new DomainError('VALIDATION_FAILED', `ChirpStack (connection ${connection}) rejected ${error.method}: ${error.message}.`);
    case 'refused':
      return new DomainError('UNAVAILABLE', `ChirpStack (connection ${connection}) refused the connection's API token; give the connection a valid token.`);
    case 'circuit_open':
      return new DomainError('UNAVAILABLE', `ChirpStack (connection ${connection}) failed repeatedly; calls resume shortly.`);
    default:
      return new DomainError('UNAVAILABLE', `ChirpStack (connection ${connection}) cannot be reached (${error.method}); retry later.`);
  }
}
