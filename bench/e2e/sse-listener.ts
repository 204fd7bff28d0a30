import { SseParser, type SseMessage } from '@parking/testing';
import { deduplicationIdOf, EventArrivals } from '../ingest/e2e-listener';

export type SseAvailability = { ok: true } | { ok: false; reason: string };

const RECONNECT_DELAY_MS = 250;

/**
 * Webhook send → the state change on the gateway's Server-Sent Events stream of one site, as
 * a browser would follow it: one long GET with the Bearer token, reconnecting with
 * Last-Event-ID if the stream ends. Events are matched by the reading's deduplicationId.
 */
export class SseEventListener {
  private arrivals = new EventArrivals();
  private readonly abort = new AbortController();
  private stopped = false;
  private loop?: Promise<void>;
  private lastEventId = '';
  messages = 0;
  heartbeats = 0;
  reconnects = 0;
  lastError?: string;

  constructor(
    private readonly url: string,
    private readonly accessToken: string,
    private readonly eventType: string,
  ) {}

  /** Opens the stream; resolves once the answer's headers show an event stream, or with why not. */
  async start(): Promise<SseAvailability> {
    let response: Response;
    try {
      response = await this.open();
    } catch (error) {
      return { ok: false, reason: `GET ${new URL(this.url).pathname} failed: ${(error as Error).message}` };
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('text/event-stream')) {
      const body = (await response.text().catch(() => '')).slice(0, 200);
      return { ok: false, reason: `GET ${new URL(this.url).pathname} answered ${response.status} (${type || 'no content type'}) ${body}`.trim() };
    }
    this.loop = this.follow(response);
    return { ok: true };
  }

  track(): EventArrivals {
    this.arrivals = new EventArrivals();
    return this.arrivals;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  private open(): Promise<Response> {
    return fetch(this.url, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${this.accessToken}`,
        ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
      },
      signal: this.abort.signal,
    });
  }

  private async follow(first: Response): Promise<void> {
    let response: Response | undefined = first;
    while (!this.stopped) {
      try {
        if (!response) {
          this.reconnects++;
          response = await this.open();
          if (response.status !== 200) throw new Error(`reconnect answered ${response.status}`);
        }
        await this.read(response);
        if (!this.stopped) this.lastError = 'the stream ended';
      } catch (error) {
        if (this.stopped) return;
        this.lastError = (error as Error).message;
      }
      response = undefined;
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
    }
  }

  private async read(response: Response): Promise<void> {
    if (!response.body) throw new Error('the answer has no body');
    const parser = new SseParser(
      (message) => this.onMessage(message),
      () => this.heartbeats++,
    );
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.push(decoder.decode(chunk, { stream: true }));
  }

  private onMessage(message: SseMessage): void {
    if (message.id !== undefined) this.lastEventId = message.id;
    if (message.event !== this.eventType) return;
    this.messages++;
    const id = deduplicationIdOf(message.data);
    if (id !== undefined) this.arrivals.arrived(id, message.receivedAt);
  }
}
