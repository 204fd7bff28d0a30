import { ConfigError, loadConfig, ServiceEnv } from '@parking/config';
import { natsAuthFrom } from './nats-auth-config';

const envOf = (vars: Record<string, string>) => loadConfig(ServiceEnv, vars);

describe('natsAuthFrom', () => {
  it('connects as the configured user with the inbox prefix of the service and namespace', () => {
    const auth = natsAuthFrom('occupancy', envOf({ NATS_USER: 'occupancy', NATS_PASSWORD: 'n0123456789abcdefghijklmnop', NATS_NAMESPACE: 'tns' }));
    expect(auth).toEqual({ credentials: { user: 'occupancy', password: 'n0123456789abcdefghijklmnop' }, inboxPrefix: '_INBOX_tns_occupancy' });
  });

  it('keeps its own inbox prefix without credentials (a server without authorization)', () => {
    expect(natsAuthFrom('gateway', envOf({}))).toEqual({ inboxPrefix: '_INBOX_gateway' });
  });

  it('refuses a user without a password, or the reverse, without echoing the password', () => {
    expect(() => natsAuthFrom('identity', envOf({ NATS_USER: 'identity' }))).toThrow(ConfigError);
    let error: unknown;
    try {
      natsAuthFrom('identity', envOf({ NATS_PASSWORD: 'n0123456789abcdefghijklmnop' }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/NATS_USER/);
    expect((error as Error).message).not.toContain('n0123456789abcdefghijklmnop');
  });

  it('hides a malformed password in the configuration error', () => {
    expect(() => envOf({ NATS_USER: 'identity', NATS_PASSWORD: 'short pw' })).toThrow(/NATS_PASSWORD: .*\(value hidden\)/);
  });
});
