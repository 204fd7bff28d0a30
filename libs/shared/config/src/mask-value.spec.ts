import { describeValue, isSecretName, maskCredentials } from './mask-value';

describe('masking configuration values', () => {
  it.each(['DB_PASSWORD', 'JWT_SECRET', 'CHIRPSTACK_API_TOKEN', 'WEBHOOK_HMAC_KEY', 'api_key'])(
    'treats %s as secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );

  it('does not treat ordinary names as secret', () => {
    expect(isSecretName('HTTP_PORT')).toBe(false);
    expect(isSecretName('NATS_URL')).toBe(false);
  });

  it('masks user-info in every URL of a list, keeping the user name', () => {
    expect(maskCredentials('nats://u:p@a:4222,nats://tok@b:4222')).toBe('nats://u:***@a:4222,nats://***@b:4222');
  });

  it('describes a missing, a secret and an ordinary value', () => {
    expect(describeValue('HTTP_PORT', undefined)).toBe('not set');
    expect(describeValue('JWT_SECRET', 'x')).toBe('value hidden');
    expect(describeValue('HTTP_PORT', 'abc')).toBe('got "abc"');
  });
});
