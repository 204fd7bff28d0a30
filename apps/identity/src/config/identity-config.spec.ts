import { ConfigError, loadConfig } from '@parking/config';
import { identityConfigFrom } from './identity-config';
import { IdentityEnv } from './identity-env';

const KEY = Buffer.alloc(32, 7).toString('base64');
const BASE = { DATABASE_URL: 'postgres://parking_identity@localhost/parking', SECRETS_KEY: KEY };

const configFrom = (env: NodeJS.ProcessEnv) => identityConfigFrom(loadConfig(IdentityEnv, env));

describe('identity configuration', () => {
  it('needs SECRETS_KEY, with no default, and never echoes a bad one', () => {
    const missing = () => loadConfig(IdentityEnv, { DATABASE_URL: BASE.DATABASE_URL });
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/SECRETS_KEY/);
    expect(() => loadConfig(IdentityEnv, { ...BASE, SECRETS_KEY: 'too-short-secret' })).toThrow(/value hidden/);
  });

  it('has the documented defaults', () => {
    const config = configFrom(BASE);
    expect(config.http.port).toBe(3001);
    expect(config.tokens).toMatchObject({ accessTtlSeconds: 900, refreshTtlSeconds: 30 * 86400 });
    expect(config.throttle).toEqual({ maxFailuresPerAccount: 5, maxFailuresPerIp: 50, windowSeconds: 900, lockSeconds: 900 });
    expect(config.mail).toEqual({ smtpUrl: null, from: 'Parking <no-reply@parking.local>', dir: '.data/mail', publicBaseUrl: 'http://localhost:3000' });
    expect(config.bootstrapAdmin).toBeNull();
    expect(config.demo.seed).toBe(false);
  });

  it('wants the bootstrap admin email and password together', () => {
    expect(() => configFrom({ ...BASE, BOOTSTRAP_ADMIN_EMAIL: 'root@example.com' })).toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
    expect(configFrom({ ...BASE, BOOTSTRAP_ADMIN_EMAIL: 'root@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'long enough password' }).bootstrapAdmin).toEqual({
      email: 'root@example.com',
      password: 'long enough password',
    });
  });

  it('wants DEMO_PASSWORD when the demo tenant is seeded', () => {
    expect(() => configFrom({ ...BASE, SEED_DEMO_TENANT: 'true' })).toThrow(/DEMO_PASSWORD/);
    expect(configFrom({ ...BASE, SEED_DEMO_TENANT: 'true', DEMO_PASSWORD: 'demo password 123' }).demo).toEqual({
      seed: true,
      email: 'demo@parking.local',
      password: 'demo password 123',
    });
  });
});
