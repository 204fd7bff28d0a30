import { ALL_SERVICES, withOwnSecretsKey } from './service-launcher';

describe('the SECRETS_KEY each launched service gets', () => {
  const stackEnv = {
    SECRETS_KEY: 'identity-key',
    SECRETS_KEY_PREVIOUS: 'identity-previous',
    CHIRPSTACK_SYNC_SECRETS_KEY: 'chirpstack-sync-key',
    CHIRPSTACK_SYNC_SECRETS_KEY_PREVIOUS: 'chirpstack-sync-previous',
    LOG_LEVEL: 'info',
  };

  it.each(ALL_SERVICES)('is, for %s, its own or none', (service) => {
    const env = withOwnSecretsKey(service, stackEnv);
    const expected =
      service === 'gateway'
        ? {}
        : service === 'chirpstack-sync'
          ? { SECRETS_KEY: 'chirpstack-sync-key', SECRETS_KEY_PREVIOUS: 'chirpstack-sync-previous' }
          : { SECRETS_KEY: 'identity-key', SECRETS_KEY_PREVIOUS: 'identity-previous' };
    expect(env).toEqual({ LOG_LEVEL: 'info', ...expected });
  });

  it("never hands chirpstack-sync identity's key in place of a missing one of its own", () => {
    expect(withOwnSecretsKey('chirpstack-sync', { SECRETS_KEY: 'identity-key' })).toEqual({});
  });
});
