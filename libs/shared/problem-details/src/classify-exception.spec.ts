import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { classifyException } from './classify-exception';
import { DomainError } from './domain-error';
import { codeForStatus, toProblemDocument } from './problem-document';

const request = { method: 'GET', path: '/spaces/7', requestId: 'r-1' };

describe('classifying exceptions', () => {
  it('recognises an Error carrying an RPC payload, and drops malformed field errors', () => {
    const error = Object.assign(new Error('remote'), {
      code: 'VALIDATION_FAILED',
      detail: 'bad',
      errors: [{ field: 'from', message: 'in the past' }, { field: 1 }],
    });

    expect(classifyException(error)).toEqual({
      kind: 'rpc',
      payload: { code: 'VALIDATION_FAILED', detail: 'bad', errors: [{ field: 'from', message: 'in the past' }] },
    });
  });

  it('does not mistake a Node system error code for a catalogue code', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', detail: 'x' });

    expect(classifyException(error).kind).toBe('unexpected');
  });

  it('treats a thrown non-Error value as unexpected', () => {
    expect(toProblemDocument(classifyException('oops'), request)).toMatchObject({ status: 500, code: 'INTERNAL' });
  });

  it('keeps a not-found message written by our own code', () => {
    const problem = toProblemDocument(classifyException(new NotFoundException('Space 7 is not in this car park.')), request);

    expect(problem).toMatchObject({ status: 404, detail: 'Space 7 is not in this car park.' });
  });

  it('names method and path for a bare NotFoundException', () => {
    const problem = toProblemDocument(classifyException(new NotFoundException()), request);

    expect(problem.detail).toBe('Nothing matches GET /spaces/7.');
  });

  it('joins the message list of a BadRequestException', () => {
    const problem = toProblemDocument(classifyException(new BadRequestException(['a is wrong', 'b is wrong'])), request);

    expect(problem).toMatchObject({ code: 'BAD_REQUEST', detail: 'a is wrong; b is wrong' });
  });

  it('maps statuses to catalogue codes, falling back by class', () => {
    expect(codeForStatus(401)).toBe('UNAUTHENTICATED');
    expect(codeForStatus(405)).toBe('METHOD_NOT_ALLOWED');
    expect(codeForStatus(413)).toBe('PAYLOAD_TOO_LARGE');
    expect(codeForStatus(415)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(codeForStatus(429)).toBe('RATE_LIMITED');
    expect(codeForStatus(503)).toBe('UNAVAILABLE');
    expect(codeForStatus(422)).toBe('BAD_REQUEST');
    expect(codeForStatus(502)).toBe('INTERNAL');
  });

  it('answers with the catalogue status of the code, not the status thrown', () => {
    const problem = toProblemDocument(classifyException(new HttpException('Gone', 410)), request);

    expect(problem).toMatchObject({ status: 400, code: 'BAD_REQUEST', detail: 'Gone' });
  });

  it('renders the field errors and extras of a DomainError', () => {
    const error = new DomainError('CONFLICT', 'Overlaps.', { conflictingReservationId: 'r-9', code: 'HIJACK' }, {
      errors: [{ field: 'from', message: 'overlaps r-9' }],
    });

    expect(toProblemDocument(classifyException(error), request)).toEqual({
      type: '/problems/conflict',
      title: 'Conflict with the current state',
      status: 409,
      detail: 'Overlaps.',
      code: 'CONFLICT',
      instance: '/spaces/7',
      requestId: 'r-1',
      errors: [{ field: 'from', message: 'overlaps r-9' }],
      conflictingReservationId: 'r-9',
    });
  });
});
