import { status } from '@grpc/grpc-js';
import { BrokenCircuitError } from 'cockatiel';
import { callErrorOf, domainErrorOf } from './chirpstack-errors';

const grpcError = (code: status, details = 'from the server') => Object.assign(new Error(details), { code, details, metadata: undefined });

describe('ChirpStack call errors', () => {
  it.each([
    [status.UNAVAILABLE, 'unavailable', true, 'UNAVAILABLE', 503],
    [status.DEADLINE_EXCEEDED, 'timeout', true, 'UPSTREAM_TIMEOUT', 504],
    [status.NOT_FOUND, 'not_found', false, 'NOT_FOUND', 404],
    [status.ALREADY_EXISTS, 'already_exists', false, 'CONFLICT', 409],
    [status.INVALID_ARGUMENT, 'invalid', false, 'VALIDATION_FAILED', 400],
    [status.UNAUTHENTICATED, 'refused', false, 'UNAVAILABLE', 503],
    [status.INTERNAL, 'failed', false, 'UNAVAILABLE', 503],
  ] as const)('reads gRPC status %s as %s (transient: %s), answered as %s', (code, failure, transient, domainCode, httpStatus) => {
    const error = callErrorOf('DeviceService.Create', grpcError(code));
    expect({ failure: error.failure, transient: error.transient, grpcStatus: error.grpcStatus }).toEqual({ failure, transient, grpcStatus: code });
    const domain = domainErrorOf(error, 'conn-1');
    expect({ code: domain.code, status: domain.status }).toEqual({ code: domainCode, status: httpStatus });
    expect(domain.detail).toContain('conn-1');
  });

  it('reads an open circuit as a pause, answered 503 UNAVAILABLE', () => {
    const error = callErrorOf('DeviceService.Get', new BrokenCircuitError());
    expect(error.failure).toBe('circuit_open');
    expect(error.transient).toBe(false);
    expect(domainErrorOf(error, 'conn-1').code).toBe('UNAVAILABLE');
  });

  it('tells the operator to fix the token when ChirpStack refuses it', () => {
    expect(domainErrorOf(callErrorOf('ApplicationService.Get', grpcError(status.PERMISSION_DENIED)), 'conn-1').detail).toMatch(/valid token/);
  });
});
