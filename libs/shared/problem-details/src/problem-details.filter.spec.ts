import type { ArgumentsHost } from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import { DomainError } from './domain-error';
import { ProblemDetailsFilter } from './problem-details.filter';

function hostOfType(type: string): ArgumentsHost {
  const switchToHttp = jest.fn(() => {
    throw new Error('must not touch the HTTP context');
  });
  return { getType: () => type, switchToHttp } as unknown as ArgumentsHost;
}

describe('ProblemDetailsFilter outside HTTP', () => {
  const filter = new ProblemDetailsFilter();
  const error = new DomainError('CONFLICT', 'Space A-12 is taken.');

  it('hands an RPC exception back to the transport untouched, writing no HTTP reply', async () => {
    const result = filter.catch(error, hostOfType('rpc')) as Observable<never>;

    await expect(lastValueFrom(result)).rejects.toBe(error);
  });

  it('rethrows in any other non-HTTP context', () => {
    expect(() => filter.catch(error, hostOfType('ws'))).toThrow(error);
  });
});

describe('ProblemDetailsFilter over HTTP', () => {
  const filter = new ProblemDetailsFilter();

  function httpHost() {
    const headers: Record<string, string> = {};
    const reply = {
      sent: false,
      statusCode: 0,
      body: '',
      status(code: number) {
        this.statusCode = code;
        return this;
      },
      header(name: string, value: string) {
        headers[name] = value;
        return this;
      },
      send(body: string) {
        this.body = body;
        return this;
      },
    };
    const request = { method: 'POST', url: '/api/v1/auth/login', id: 'req-1' };
    const host = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }) } as unknown as ArgumentsHost;
    return { host, reply, headers };
  }

  it('sends Retry-After when the error says when to retry', () => {
    const { host, reply, headers } = httpHost();
    filter.catch(new DomainError('RATE_LIMITED', 'Too many failed sign-ins; retry in 2 s.', { retryAfterSeconds: 2 }), host);
    expect(reply.statusCode).toBe(429);
    expect(headers['retry-after']).toBe('2');
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 2 });
  });

  it('sends no Retry-After for an error that has no such hint', () => {
    const { host, headers } = httpHost();
    filter.catch(new DomainError('CONFLICT', 'Space A-12 is taken.', { retryAfterSeconds: 2 }), host);
    expect(headers['retry-after']).toBeUndefined();
  });
});
