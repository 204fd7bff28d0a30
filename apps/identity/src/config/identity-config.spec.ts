import { ConfigError, loadConfig } from '@parking/config';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { identityConfigFrom } from './identity-config';
import { IdentityEnv } from './identity-env';

const KEY = Buffer.alloc(32, 7).toString('base64');
const INTEGRATION_KEY = Buffer.alloc(32, 9).toString('base64');
const RPC_TRUSTED_KEYS = trustedKeyEntry('gateway', generateProofKeyPair().publicKey);
const BASE = { DATABASE_URL: 'postgres://parking_identity@localhost/parking', SECRETS_KEY: KEY, INTEGRATION_SECRETS_KEY: INTEGRATION_KEY, RPC_TRUSTED_KEYS };

const configFrom = (env: NodeJS.ProcessEnv) => identityConfigFrom(loadConfig(IdentityEnv, env));

describe('identity configuration', () => {
  it('needs SECRETS_KEY, with no default, and never echoes a bad one', () => {
    const missing = () => loadConfig(IdentityEnv, { DATABASE_URL: BASE.DATABASE_URL, INTEGRATION_SECRETS_KEY: INTEGRATION_KEY, RPC_TRUSTED_KEYS });
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/SECRETS_KEY/);
    expect(() => loadConfig(IdentityEnv, { ...BASE, SECRETS_KEY: 'too-short-secret' })).toThrow(/value hidden/);
  });

  it('needs the keys of the callers it trusts, and says what they look like', () => {
    expect(() => loadConfig(IdentityEnv, { DATABASE_URL: BASE.DATABASE_URL, SECRETS_KEY: KEY, INTEGRATION_SECRETS_KEY: INTEGRATION_KEY })).toThrow(
      /RPC_TRUSTED_KEYS: must be issuer:base64url-public-key pairs/,
    );
    expect(() => loadConfig(IdentityEnv, { ...BASE, RPC_TRUSTED_KEYS: 'gateway' })).toThrow(/RPC_TRUSTED_KEYS/);
    expect(configFrom(BASE).rpcProof).toEqual({ trustedKeys: RPC_TRUSTED_KEYS, signingKey: undefined });
  });

  it('starts new tenants on DEFAULT_TENANT_PLAN, free unless set, and names the plans it knows', () => {
    expect(configFrom(BASE).defaultTenantPlan).toBe('free');
    expect(configFrom({ ...BASE, DEFAULT_TENANT_PLAN: 'enterprise' }).defaultTenantPlan).toBe('enterprise');
    expect(() => loadConfig(IdentityEnv, { ...BASE, DEFAULT_TENANT_PLAN: 'gold' })).toThrow(/DEFAULT_TENANT_PLAN: must be one of free, standard, enterprise/);
  });

  it('has the documented defaults', () => {
    const config = configFrom(BASE);
    expect(config.http.port).toBe(3001);
    expect(config.tokens).toMatchObject({ accessTtlSeconds: 900, refreshTtlSeconds: 30 * 86400 });
    expect(config.throttle).toEqual({
      freeFailuresPerAccount: 5,
      freeFailuresPerIp: 20,
      delayBaseMs: 1000,
      maxDelayMsPerAccount: 60_000,
      maxDelayMsPerIp: 900_000,
      windowSeconds: 900,
    });
    expect(config.registration).toEqual({ emailVerificationRequired: true, ttlSeconds: 86400 });
    expect(config.signingKeys).toEqual({ rotationIntervalSeconds: 30 * 86400 });
    expect(config.mail).toEqual({ smtpUrl: null, from: 'Parking <no-reply@parking.local>', dir: '.data/mail', publicBaseUrl: 'http://localhost:3000' });
    expect(config.bootstrapAdmin).toBeNull();
    expect(config.demo.seed).toBe(false);
  });

  it('needs INTEGRATION_SECRETS_KEY, a key of its own: the gateway holds it, so it must not be SECRETS_KEY', () => {
    const { INTEGRATION_SECRETS_KEY: _omitted, ...withoutIt } = BASE;
    expect(() => loadConfig(IdentityEnv, withoutIt)).toThrow(/INTEGRATION_SECRETS_KEY/);
    expect(() => configFrom({ ...BASE, INTEGRATION_SECRETS_KEY: KEY })).toThrow(/INTEGRATION_SECRETS_KEY: must be a key of its own/);
    expect(() => configFrom({ ...BASE, INTEGRATION_SECRETS_KEY_PREVIOUS: KEY })).toThrow(/INTEGRATION_SECRETS_KEY/);
    expect(() => configFrom({ ...BASE, INTEGRATION_SECRETS_KEY: KEY })).not.toThrow(new RegExp(KEY.replace(/[+/=]/g, '.')));
    expect(configFrom(BASE).integrationSecrets).toEqual({ key: INTEGRATION_KEY, previousKeys: [] });
  });

  it('verifies emails unless EMAIL_VERIFICATION_REQUIRED=false', () => {
    expect(configFrom({ ...BASE, EMAIL_VERIFICATION_REQUIRED: 'false' }).registration.emailVerificationRequired).toBe(false);
    expect(() => configFrom({ ...BASE, EMAIL_VERIFICATION_REQUIRED: 'sometimes' })).toThrow(/EMAIL_VERIFICATION_REQUIRED/);
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
