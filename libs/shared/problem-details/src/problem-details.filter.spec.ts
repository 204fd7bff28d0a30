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
