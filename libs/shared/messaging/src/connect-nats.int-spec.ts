import { connectNats, natsServerOptions } from './connect-nats';

const PLAIN_NATS = (process.env.NATS_URL || 'nats://127.0.0.1:4222').split(',')[0].replace(/^nats:\/\//, '');

describe('connectNats and a tls:// URL', () => {
  it('requires TLS for a tls:// server, and leaves plain URLs alone', () => {
    expect(natsServerOptions('tls://nats:4222')).toEqual({ servers: ['tls://nats:4222'], tls: {} });
    expect(natsServerOptions('nats://a:4222, tls://b:4222')).toEqual({ servers: ['nats://a:4222', 'tls://b:4222'], tls: {} });
    expect(natsServerOptions('nats://a:4222,b:4222')).toEqual({ servers: ['nats://a:4222', 'b:4222'] });
  });

  it('refuses to speak plain text to a server without TLS when the URL says tls://', async () => {
    // The shared test server has no TLS: a plain URL connects, the same address as tls:// does not.
    const plain = await connectNats({ url: `nats://${PLAIN_NATS}`, name: 'plain-check' });
    await plain.close();
    await expect(connectNats({ url: `tls://${PLAIN_NATS}`, name: 'tls-check' })).rejects.toThrow(/tls|TLS|secure/);
  });
});
