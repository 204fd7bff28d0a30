import { resumePoint, sseComment, sseEvent, sseRetry, sseUnnumberedEvent } from './sse-frames';

describe('SSE frames', () => {
  it('writes id, event and one data line per payload line, ended by an empty line', () => {
    expect(sseEvent(42, 'occupancy.space.state_changed.v1', '{"a":1}')).toBe('id: 42\nevent: occupancy.space.state_changed.v1\ndata: {"a":1}\n\n');
    expect(sseEvent(7, 'x', 'one\ntwo\r\nthree')).toBe('id: 7\nevent: x\ndata: one\ndata: two\ndata: three\n\n');
  });

  it('writes an event without an id, so the client resumes after the last event that had one', () => {
    expect(sseUnnumberedEvent('stream-closed', '{"reason":"credential-expired"}')).toBe('event: stream-closed\ndata: {"reason":"credential-expired"}\n\n');
  });

  it('keeps comments on one line and rounds the retry', () => {
    expect(sseComment('heart\nbeat')).toBe(': heart beat\n\n');
    expect(sseRetry(2999.6)).toBe('retry: 3000\n\n');
  });
});

describe('resumePoint', () => {
  it('starts from now without a header or query, or with an empty header', () => {
    expect(resumePoint(undefined, undefined)).toEqual({ ok: true });
    expect(resumePoint('', undefined)).toEqual({ ok: true });
  });

  it('takes the header before the query parameter', () => {
    expect(resumePoint('17', '5')).toEqual({ ok: true, after: 17 });
    expect(resumePoint(undefined, '5')).toEqual({ ok: true, after: 5 });
    expect(resumePoint(['9', '3'], undefined)).toEqual({ ok: true, after: 9 });
  });

  it('refuses what is not a stream sequence and says what it expects', () => {
    for (const bad of ['-1', '1.5', 'abc', '1e3', '9999999999999999']) {
      const point = resumePoint(bad, undefined);
      expect(point).toEqual({ ok: false, reason: expect.stringContaining('OCCUPANCY stream sequence') });
    }
  });
});
