import net from 'node:net';

export { postgresAnswers } from '@parking/database';

/** Opens a TCP connection, optionally writes `send`, and resolves true when the reply starts with `expect`. */
function tcpAnswers(hostPort: { host: string; port: number }, expect: string, send: string | undefined, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(hostPort);
    let received = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => send && socket.write(send));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      if (received.length >= expect.length) done(received.startsWith(expect));
    });
  });
}

function hostPortOf(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

/** A NATS server greets every client with an INFO line. */
export function natsAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const first = url.split(',')[0].trim();
  return tcpAnswers(hostPortOf(first, 4222), 'INFO', undefined, timeoutMs);
}

export function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  return tcpAnswers(hostPortOf(url, 6379), '+PONG', 'PING\r\n', timeoutMs);
}

/** `preferred` when nothing listens there, otherwise a free port chosen by the OS. */
export async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? preferred;
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}
