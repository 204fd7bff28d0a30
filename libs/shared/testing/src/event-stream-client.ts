/**
 * A Server-Sent Events client for tests and benchmarks: parses the stream as the WHATWG
 * spec says (fields, multi-line data, comments, CRLF) and keeps what arrived, with the
 * time each message arrived.
 */

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
  /** performance.now() when the message was complete. */
  receivedAt: number;
}

/** Incremental parser: feed it chunks as they arrive. */
export class SseParser {
  private buffer = '';
  private id?: string;
  private event = '';
  private data: string[] = [];

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onComment: (text: string) => void = () => undefined,
  ) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone CR at the end may be the first half of CRLF: wait for more.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.onMessage({ id: this.id, event: this.event || 'message', data: this.data.join('\n'), receivedAt: performance.now() });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) {
      this.onComment(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

export interface EventStream {
  status: number;
  headers: Headers;
  /** The body when the answer was not an event stream (a problem document). */
  body?: unknown;
  messages: SseMessage[];
  comments: string[];
  /** Resolves with the first message (already received or coming) that matches. */
  waitFor(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens `url` as an event stream; a non-stream answer is read whole into `body`. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters = new Set<(message: SseMessage) => void>();
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
  let body: unknown;
  let ended: Promise<void> = Promise.resolve();
  if (!isStream) {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } else {
    const parser = new SseParser(
      (message) => {
        messages.push(message);
        for (const waiter of [...waiters]) waiter(message);
      },
      (text) => comments.push(text),
    );
    ended = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.push(decoder.decode(chunk, { stream: true }));
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      }
    })();
  }
  return {
    status: response.status,
    headers: response.headers,
    body,
    messages,
    comments,
    ended,
    close: () => abort.abort(),
    waitFor(match, timeoutMs = 20_000) {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const waiter = (message: SseMessage): void => {
          if (!match(message)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(message);
        };
        waiters.add(waiter);
      });
    },
  };
}
