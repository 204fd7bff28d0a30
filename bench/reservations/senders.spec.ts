import { answerOfStatus, problemCode } from './senders';

describe('booking answers', () => {
  it('counts 201 as a booking and 409 RESERVATION_OVERLAP as a conflict', () => {
    expect(answerOfStatus(201)).toEqual({ kind: 'created' });
    expect(answerOfStatus(409, 'RESERVATION_OVERLAP')).toEqual({ kind: 'conflict' });
  });

  it('names anything else by status and problem code, another 409 included', () => {
    expect(answerOfStatus(409, 'IDEMPOTENCY_KEY_IN_FLIGHT')).toEqual({ kind: 'other', label: '409 IDEMPOTENCY_KEY_IN_FLIGHT' });
    expect(answerOfStatus(429, 'RATE_LIMITED')).toEqual({ kind: 'other', label: '429 RATE_LIMITED' });
    expect(answerOfStatus(502)).toEqual({ kind: 'other', label: '502' });
  });

  it('reads the code of a problem+json body, and nothing from anything else', () => {
    expect(problemCode('{"type":"about:blank","status":409,"code":"RESERVATION_OVERLAP"}')).toBe('RESERVATION_OVERLAP');
    expect(problemCode('{"code":7}')).toBeUndefined();
    expect(problemCode('<html>Bad Gateway</html>')).toBeUndefined();
    expect(problemCode('')).toBeUndefined();
  });
});
