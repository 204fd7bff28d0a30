import { IDENTITY_RPC, type Principal } from '@parking/contracts';
import type { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import type { GatewayConfig } from '../config';
import { ApiKeyAuthenticator } from './api-key-authenticator';

const KEY = 'pk_live_abcdefgh_s3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tS3C';
const principal: Principal = { kind: 'api-key', tenantId: 't', actor: 'api-key:k', apiKeyId: 'k', permissions: ['spaces:read'], isPlatformAdmin: false };

describe('ApiKeyAuthenticator', () => {
  const call = jest.fn();
  const config = { rpc: { timeoutMs: 1_000 }, auth: { apiKeyCacheTtlMs: 30_000, apiKeyRefusalCacheMs: 5_000 } } as unknown as GatewayConfig;
  let authenticator: ApiKeyAuthenticator;
  let now: number;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    call.mockReset().mockResolvedValue({ principal });
    authenticator = new ApiKeyAuthenticator({ call } as unknown as RpcClient, config);
    // As once the revocation feed follows identity's stream (ApiKeyRevocationFeed).
    authenticator.followingRevocations(true);
  });
  afterEach(() => jest.restoreAllMocks());

  it('asks identity once and trusts the answer until the cache time ends', async () => {
    await authenticator.authenticate(KEY);
    now += 29_000;
    await authenticator.authenticate(KEY);
    expect(call).toHaveBeenCalledTimes(1);
    expect(call).toHaveBeenCalledWith(IDENTITY_RPC.authenticateApiKey, { key: KEY }, {}, { timeoutMs: 1_000 });
    now += 2_000;
    await authenticator.authenticate(KEY);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('keeps no copy of the key: the cache is keyed by its SHA-256', async () => {
    await authenticator.authenticate(KEY);
    const cacheKeys = [...(authenticator as unknown as { cache: Map<string, unknown> }).cache.keys()];
    expect(cacheKeys).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(JSON.stringify(cacheKeys)).not.toContain('s3cr3t');
  });

  it('remembers a refusal briefly: a key repeated within apiKeyRefusalCacheMs is refused without asking', async () => {
    call.mockRejectedValueOnce(new DomainError('UNAUTHENTICATED', 'The API key is not valid.'));
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    now += 4_000;
    expect(authenticator.answersAlone(KEY)).toBe(true);
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(call).toHaveBeenCalledTimes(1);
    now += 2_000;
    expect(authenticator.answersAlone(KEY)).toBe(false);
    await expect(authenticator.authenticate(KEY)).resolves.toEqual(principal);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('does not remember a failure that is not a refusal (identity unreachable)', async () => {
    call.mockRejectedValueOnce(new DomainError('UNAVAILABLE', 'No service answers.'));
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(authenticator.authenticate(KEY)).resolves.toEqual(principal);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['no pk_live_ prefix', 'sk_live_abcdefgh_s3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tS3C'],
    ['a short secret', 'pk_live_abcdefgh_short'],
    ['a prefix of other length', 'pk_live_abc_s3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tS3C'],
    ['characters never issued', 'pk_live_abcdefgh_s3cr3t S3CR3Ts3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tS3'],
    ['more than 200 characters', `pk_live_abcdefgh_${'x'.repeat(200)}`],
  ])('refuses a key with %s without asking identity', async (_why, key) => {
    expect(authenticator.answersAlone(key)).toBe(true);
    await expect(authenticator.authenticate(key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('pk_live_') });
    expect(call).not.toHaveBeenCalled();
  });

  it('sends one request for concurrent uses of the same key', async () => {
    await Promise.all([authenticator.authenticate(KEY), authenticator.authenticate(KEY), authenticator.authenticate(KEY)]);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('forgets a key at once when identity announces its revocation, and asks again', async () => {
    await authenticator.authenticate(KEY);
    authenticator.forget('k');
    call.mockRejectedValueOnce(new DomainError('UNAUTHENTICATED', 'The API key is not valid.'));
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('refuses an answer that identity gave before a revocation this gateway has since heard of', async () => {
    let answer!: (value: unknown) => void;
    call.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const pending = authenticator.authenticate(KEY);
    authenticator.forget('k');
    answer({ principal });
    await expect(pending).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // And keeps nothing of it: the next use asks identity again.
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('trusts a cached key no longer than until it expires', async () => {
    call.mockResolvedValue({ principal, expiresAt: new Date(now + 5_000).toISOString() });
    await authenticator.authenticate(KEY);
    now += 4_000;
    await authenticator.authenticate(KEY);
    expect(call).toHaveBeenCalledTimes(1);
    now += 2_000;
    await authenticator.authenticate(KEY);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('caches nothing while it does not follow the revocations, and drops what it held when the feed was interrupted', async () => {
    await authenticator.authenticate(KEY);
    authenticator.followingRevocations(false);
    await authenticator.authenticate(KEY);
    await authenticator.authenticate(KEY);
    expect(call).toHaveBeenCalledTimes(3);
    authenticator.followingRevocations(true);
    await authenticator.authenticate(KEY);
    await authenticator.authenticate(KEY);
    expect(call).toHaveBeenCalledTimes(4);
  });

  it('refuses a principal that is not an API key', async () => {
    call.mockResolvedValue({ principal: { ...principal, kind: 'user' } });
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
