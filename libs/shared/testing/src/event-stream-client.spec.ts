import { SseMessage, SseParser } from './event-stream-client';

function parse(chunks: string[]): { messages: Array<Omit<SseMessage, 'receivedAt'>>; comments: string[] } {
  const messages: Array<Omit<SseMessage, 'receivedAt'>> = [];
  const comments: string[] = [];
  const parser = new SseParser(({ receivedAt: _at, ...message }) => messages.push(message), (text) => comments.push(text));
  for (const chunk of chunks) parser.push(chunk);
  return { messages, comments };
}

describe('SseParser', () => {
  it('reads id, event and multi-line data, and comments', () => {
    expect(parse([': connected\n\nid: 4\nevent: x\ndata: a\ndata: b\n\n'])).toEqual({
      messages: [{ id: '4', event: 'x', data: 'a\nb' }],
      comments: ['connected'],
    });
  });

  it('joins messages split anywhere across chunks, with LF, CRLF or CR line ends', () => {
    const whole = 'id: 1\r\ndata: {"a":1}\r\n\r\nid: 2\rdata:two\r\rdata: three\n\n';
    for (let cut = 1; cut < whole.length; cut++) {
      expect(parse([whole.slice(0, cut), whole.slice(cut)]).messages).toEqual([
        { id: '1', event: 'message', data: '{"a":1}' },
        { id: '2', event: 'message', data: 'two' },
        { id: '2', event: 'message', data: 'three' },
      ]);
    }
  });

  it('dispatches nothing for a block without data and ignores unknown fields', () => {
    expect(parse(['event: x\nretry: 10\nfoo: bar\n\n']).messages).toEqual([]);
  });
});
