import { createPinoLogger } from './logger-options';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { lines, destination };
}

describe('createPinoLogger', () => {
  it('prints [redacted] for passwords, tokens and secret headers nested in the logged object', () => {
    const { lines, destination } = capture();
    const logger = createPinoLogger({ service: 'identity', version: '1.2.3', level: 'info', destination });

    logger.info(
      {
        password: 'top-level-pw',
        user: { email: 'a@b.c', password: 'hunter2', session: { refreshToken: 'rt-1', accessToken: 'at-1' } },
        webhook: { integration: { device: { hmacSecret: 'hmac-1' } } },
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-api-key': 'k-1', 'x-signature': 's-1' } },
        res: { headers: { 'set-cookie': 'sid=2' } },
      },
      'signed in',
    );

    const line = lines[0];
    const text = JSON.stringify(line);
    for (const secret of ['top-level-pw', 'hunter2', 'rt-1', 'at-1', 'hmac-1', 'Bearer abc', 'sid=1', 'k-1', 's-1', 'sid=2']) {
      expect(text).not.toContain(secret);
    }
    expect(line).toMatchObject({
      password: '[redacted]',
      user: { email: 'a@b.c', password: '[redacted]', session: { refreshToken: '[redacted]', accessToken: '[redacted]' } },
      webhook: { integration: { device: { hmacSecret: '[redacted]' } } },
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' } },
      res: { headers: { 'set-cookie': '[redacted]' } },
    });
  });

  it('writes JSON with the service, the version and a readable level', () => {
    const { lines, destination } = capture();
    const logger = createPinoLogger({ service: 'ingest', version: '0.1.0', level: 'debug', destination });

    logger.debug('uplink normalised');
    logger.trace('below the level');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'ingest', version: '0.1.0', level: 'debug', msg: 'uplink normalised' });
    expect(lines[0]).not.toHaveProperty('trace_id');
  });
});
