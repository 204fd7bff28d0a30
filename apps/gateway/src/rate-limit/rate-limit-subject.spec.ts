import { SignJWT, generateKeyPair, type KeyLike } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { Principal } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import type { JwksKeyStore } from '../auth/jwks-key-store';
import { RateLimitSubjects } from './rate-limit-subject';

const TENANT = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';

describe('RateLimitSubjects (whose budget a request spends)', () => {
  let signing: { publicKey: KeyLike; privateKey: KeyLike };
  let forger: KeyLike;
  let subjects: RateLimitSubjects;
  const authenticate = jest.fn<Promise<Principal>, [string]>();

  const request = (url: string, headers: Record<string, string> = {}) => ({ ip: '203.0.113.7', url, headers });
  const token = (key: KeyLike, kid = 'k1') =>
    new SignJWT({ tid: TENANT, role: 'viewer' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer('parking-identity')
      .setAudience('parking-api')
      .setSubject('user-1')
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    signing = await generateKeyPair('ES256');
    forger = (await generateKeyPair('ES256')).privateKey;
    const keys = { cachedKey: (kid: string) => (kid === 'k1' ? (signing.publicKey as KeyObject) : undefined) } as unknown as JwksKeyStore;
    subjects = new RateLimitSubjects(keys, { authenticate } as unknown as ApiKeyAuthenticator);
  });

  beforeEach(() => {
    authenticate.mockReset();
    authenticate.mockImplementation(async (key) => {
      if (key === 'pk_live_good0000_s3cretgoods3cretgoods3cretgoods3cretgoods3c') return { kind: 'api-key', tenantId: TENANT, actor: 'api-key:k-9', apiKeyId: 'k-9', permissions: [], isPlatformAdmin: false };
      throw new DomainError('UNAUTHENTICATED', 'The API key is not valid.');
    });
  });

  it('counts a verified access token against its user', async () => {
    const subject = await subjects.subjectOf(request('/api/v1/users', { authorization: `Bearer ${await token(signing.privateKey)}` }));
    expect(subject).toEqual({ kind: 'user', id: 'user-1', tenantId: TENANT });
  });

  it('counts a forged or unverifiable token against the address, so invented tokens buy no budget', async () => {
    expect(await subjects.subjectOf(request('/api/v1/users', { authorization: `Bearer ${await token(forger)}` }))).toEqual({ kind: 'ip', ip: '203.0.113.7' });
    expect(await subjects.subjectOf(request('/api/v1/users', { authorization: `Bearer ${await token(signing.privateKey, 'unknown')}` }))).toEqual({ kind: 'ip', ip: '203.0.113.7' });
  });

  it('counts a valid API key against the key, and an invalid one against the address', async () => {
    expect(await subjects.subjectOf(request('/api/v1/users', { 'x-api-key': 'pk_live_good0000_s3cretgoods3cretgoods3cretgoods3cretgoods3c' }))).toEqual({ kind: 'api-key', id: 'k-9', tenantId: TENANT });
    expect(await subjects.subjectOf(request('/api/v1/users', { authorization: 'Bearer pk_live_bad00000_s3cretbads3cretbads3cretbads3cretbads3cretb' }))).toEqual({ kind: 'ip', ip: '203.0.113.7' });
  });

  it('resolves a request once, however many limiters ask', async () => {
    const same = request('/api/v1/users', { 'x-api-key': 'pk_live_good0000_s3cretgoods3cretgoods3cretgoods3cretgoods3c' });
    await Promise.all([subjects.subjectOf(same), subjects.subjectOf(same)]);
    expect(authenticate).toHaveBeenCalledTimes(1);
  });

  it.each(['/api/v1/webhooks/chirpstack/up', '/api/v1/uplink', '/webhooks/chirpstack/join?event=join'])('treats %s as a webhook', async (url) => {
    expect(await subjects.subjectOf(request(url))).toEqual({ kind: 'webhook' });
  });

  it.each(['/health/live', '/health/ready', '/metrics'])('exempts %s', async (url) => {
    expect(await subjects.subjectOf(request(url))).toEqual({ kind: 'exempt' });
  });
});
