import { BadRequestException, NotFoundException } from '@nestjs/common';
import { RpcException, type ClientProxy } from '@nestjs/microservices';
import { DomainError } from '@parking/problem-details';
import { NEVER, ReplaySubject, TimeoutError } from 'rxjs';
import { RpcClient } from './rpc-client';
import { RPC_UNEXPECTED_DETAIL, toRpcErrorPayload } from './rpc-error.filter';
import { rpcFailure } from './rpc-failure';

describe('toRpcErrorPayload (server side)', () => {
  it('sends a DomainError as its code, detail and field errors', () => {
    const error = new DomainError('VALIDATION_FAILED', 'The request has 1 invalid field: from.', undefined, {
      errors: [{ field: 'from', message: 'must be in the future' }],
    });
    expect(toRpcErrorPayload(error)).toEqual({
      code: 'VALIDATION_FAILED',
      detail: 'The request has 1 invalid field: from.',
      errors: [{ field: 'from', message: 'must be in the future' }],
    });
  });

  it('passes on an upstream {code, detail} wrapped in an RpcException', () => {
    expect(toRpcErrorPayload(new RpcException({ code: 'NOT_FOUND', detail: 'Space "x" does not exist.' }))).toEqual({
      code: 'NOT_FOUND',
      detail: 'Space "x" does not exist.',
    });
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toRpcErrorPayload(new NotFoundException('no such space'))).toEqual({ code: 'NOT_FOUND', detail: 'no such space' });
    expect(toRpcErrorPayload(new BadRequestException('bad'))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('hides everything about an unexpected error', () => {
    const logger = { error: jest.fn() };
    expect(toRpcErrorPayload(new Error('password=hunter2'), logger as never)).toEqual({ code: 'INTERNAL', detail: RPC_UNEXPECTED_DETAIL });
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('hunter2'));
  });
});

describe('rpcFailure (client side)', () => {
  it('rebuilds the DomainError from a {code, detail} reply', () => {
    const error = rpcFailure('rpc.x.v1.a.b', 1_000, { code: 'CONFLICT', detail: 'taken', errors: [{ field: 'f', message: 'm' }, 'junk'] });
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'CONFLICT', detail: 'taken', errors: [{ field: 'f', message: 'm' }] });
  });

  it('calls a timeout UPSTREAM_TIMEOUT and names the subject', () => {
    expect(rpcFailure('rpc.x.v1.a.b', 250, new TimeoutError())).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      detail: 'rpc.x.v1.a.b did not answer within 250 ms.',
    });
  });

  it('calls a transport error UNAVAILABLE and an unreadable reply INTERNAL', () => {
    expect(rpcFailure('rpc.x.v1.a.b', 1, new Error('CONNECTION_CLOSED'))).toMatchObject({ code: 'UNAVAILABLE' });
    expect(rpcFailure('rpc.x.v1.a.b', 1, { code: 'NOPE', detail: 'x' })).toMatchObject({ code: 'INTERNAL' });
  });

  it('calls the NATS client losing its connection UNAVAILABLE: Nest rejects with a string then, not an Error', () => {
    // What @nestjs/microservices' ClientNats rejects a send with while NATS is down (seen in the chaos run).
    expect(rpcFailure('rpc.x.v1.a.b', 1, 'Error: Connection lost. Trying to reconnect...')).toMatchObject({
      code: 'UNAVAILABLE',
      detail: 'The service behind rpc.x.v1.a.b cannot be reached.',
    });
  });
});

describe('RpcClient when the NATS connection drops while a request waits for its answer', () => {
  it('answers UNAVAILABLE (503, try again), not UPSTREAM_TIMEOUT (504): the answer cannot come any more', async () => {
    const status = new ReplaySubject<string>(1);
    status.next('connected');
    // A request sent, then the connection lost: no answer ever comes.
    const proxy = { send: () => { status.next('disconnected'); return NEVER; }, status, close: () => undefined } as unknown as ClientProxy;
    const client = new RpcClient(proxy, 50);
    await expect(client.send('rpc.x.v1.a.b', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('still calls a plain wait past the timeout UPSTREAM_TIMEOUT', async () => {
    const status = new ReplaySubject<string>(1);
    status.next('connected');
    const proxy = { send: () => NEVER, status, close: () => undefined } as unknown as ClientProxy;
    await expect(new RpcClient(proxy, 50).send('rpc.x.v1.a.b', {})).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });
});
