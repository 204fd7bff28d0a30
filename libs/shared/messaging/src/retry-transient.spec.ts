import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/nats-core';
import { isTransientNatsError, retryTransient } from './retry-transient';

const quiet = { debug: jest.fn(), warn: jest.fn() };
const unavailable = () => new JetStreamApiError({ code: 503, err_code: 10008, description: 'JetStream system temporarily unavailable' });

describe('retryTransient', () => {
  it('tells passing NATS failures (a timeout, no responders, JetStream electing a leader) from the rest', () => {
    expect(isTransientNatsError(new errors.TimeoutError())).toBe(true);
    expect(isTransientNatsError(new errors.RequestError('no responders', { cause: new errors.NoRespondersError('$JS.API.INFO') }))).toBe(true);
    expect(isTransientNatsError(unavailable())).toBe(true);
    expect(isTransientNatsError(new JetStreamApiError({ code: 400, err_code: 10058, description: 'stream name already in use' }))).toBe(false);
    expect(isTransientNatsError(new errors.PermissionViolationError('Permissions Violation for Publish', 'publish', '$JS.API.STREAM.CREATE.X'))).toBe(false);
    expect(isTransientNatsError(new Error('boom'))).toBe(false);
  });

  it('tries again after a passing failure, and answers what the attempt that worked answered', async () => {
    const attempt = jest.fn().mockRejectedValueOnce(new errors.TimeoutError()).mockRejectedValueOnce(unavailable()).mockResolvedValue('provisioned');
    await expect(retryTransient(attempt, { what: 'provisioning', logger: quiet, firstDelayMs: 1 })).resolves.toBe('provisioned');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(quiet.debug).toHaveBeenCalledWith(expect.stringContaining('provisioning'));
  });

  it('fails at once on any other error', async () => {
    const attempt = jest.fn().mockRejectedValue(new Error('not allowed'));
    await expect(retryTransient(attempt, { what: 'provisioning', logger: quiet, firstDelayMs: 1 })).rejects.toThrow('not allowed');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('gives up with the last error once the deadline has passed', async () => {
    const attempt = jest.fn().mockRejectedValue(new errors.TimeoutError());
    await expect(retryTransient(attempt, { what: 'provisioning', logger: quiet, firstDelayMs: 5, deadlineMs: 50 })).rejects.toThrow('timeout');
    expect(attempt.mock.calls.length).toBeGreaterThan(1);
  });
});
