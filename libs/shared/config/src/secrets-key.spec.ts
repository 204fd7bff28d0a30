import { ConfigError } from './config-error';
import { SecretsKeyEnv, secretsKeysFrom } from './env-mixins';
import { loadConfig } from './load-config';
import { ServiceEnv } from './service-env';

class SealingEnv extends SecretsKeyEnv(ServiceEnv) {}

const KEY = Buffer.alloc(32, 3).toString('base64');
const PREVIOUS = Buffer.alloc(32, 4).toString('base64url');

describe('SECRETS_KEY', () => {
  it('is required, with no default', () => {
    expect(() => loadConfig(SealingEnv, {})).toThrow(ConfigError);
    expect(() => loadConfig(SealingEnv, {})).toThrow(/SECRETS_KEY: must be base64 of 32 random bytes \(openssl rand -base64 32\) \(not set\)/);
  });

  it('refuses what is not base64 of 32 bytes, and never echoes it', () => {
    for (const bad of ['too-short-secret', Buffer.alloc(16, 1).toString('base64'), `${KEY}x`]) {
      let message = '';
      try {
        loadConfig(SealingEnv, { SECRETS_KEY: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/SECRETS_KEY: .*\(value hidden\)/);
      expect(message).not.toContain(bad);
    }
    expect(() => loadConfig(SealingEnv, { SECRETS_KEY: KEY, SECRETS_KEY_PREVIOUS: 'short' })).toThrow(/SECRETS_KEY_PREVIOUS/);
  });

  it('takes base64 or base64url, and the key before a rotation', () => {
    const env = loadConfig(SealingEnv, { SECRETS_KEY: KEY, SECRETS_KEY_PREVIOUS: PREVIOUS });
    expect(secretsKeysFrom(env.SECRETS_KEY, env.SECRETS_KEY_PREVIOUS)).toEqual({ key: KEY, previousKeys: [PREVIOUS] });
    expect(secretsKeysFrom(KEY)).toEqual({ key: KEY, previousKeys: [] });
  });
});
