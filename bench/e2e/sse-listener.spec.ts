import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectEventually } from '@parking/testing';
import { SseEventListener } from './sse-listener';

const TYPE = 'occupancy.space.state_changed.v1';
const FIRST = '0b9f3c56-3a4e-4bd5-9a39-7a1f3e0c2d11';
const SECOND = '5d0e1f2a-8b7c-4d6e-9f01-23456789abcd';
const envelope = (deduplicationId: string) => JSON.stringify({ type: TYPE, data: { to: 'occupied', reading: { devEui: '70b3d5e75e000001', deduplicationId } } });

describe('SseEventListener', () => {
  let server: Server;
  let url: string;
  const requests: IncomingMessage[] = [];
  let answer: (request: IncomingMessage, response: ServerResponse, attempt: number) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request);
      answer(request, response, requests.length);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/sites/s1/events`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => requests.splice(0));

  it('matches state changes to awaited uplinks, counts heartbeats, and resumes with Last-Event-ID when the stream ends', async () => {
    answer = (_request, response, attempt) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (attempt === 1) {
        response.write(': heartbeat\n\n');
        response.write(`id: 7\nevent: ${TYPE}\ndata: ${envelope(FIRST)}\n\n`);
        // Another kind of event on the same stream is not a state change.
        response.end(`id: 8\nevent: something.else.v1\ndata: {}\n\n`);
      } else {
        response.write(`id: 9\nevent: ${TYPE}\ndata: ${envelope(SECOND)}\n\n`);
      }
    };
    const listener = new SseEventListener(url, 'token-1', TYPE);
    const arrivals = listener.track();
    arrivals.expect(FIRST, 0);
    arrivals.expect(SECOND, 0);
    expect(await listener.start()).toEqual({ ok: true });
    await expectEventually(() => expect(arrivals.pending).toBe(0));
    await listener.stop();
    expect(arrivals.result()).toMatchObject({ expected: 2, received: 2 });
    expect(listener).toMatchObject({ messages: 2, heartbeats: 1, reconnects: 1 });
    expect(requests[0].headers).toMatchObject({ authorization: 'Bearer token-1', accept: 'text/event-stream' });
    expect(requests[0].headers['last-event-id']).toBeUndefined();
    expect(requests[1].headers['last-event-id']).toBe('8');
  });

  it('says why when the route answers with a problem instead of a stream', async () => {
    answer = (_request, response) => {
      response.writeHead(404, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ status: 404, code: 'NOT_FOUND' }));
    };
    const listener = new SseEventListener(url, 'token-1', TYPE);
    const opened = await listener.start();
    await listener.stop();
    expect(opened).toMatchObject({ ok: false, reason: expect.stringContaining('answered 404 (application/problem+json)') });
  });
});
