import { IDENTITY_RPC, type Principal } from '@parking/contracts';
import type { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import type { GatewayConfig } from '../config';
import { ApiKeyAuthenticator } from './api-key-authenticator';

const KEY = 'pk_live_abcdefgh_s3cr3t';
const principal: Principal = { kind: 'api-key', tenantId: 't', actor: 'api-key:k', apiKeyId: 'k', permissions: ['spaces:read'], isPlatformAdmin: false };

describe('ApiKeyAuthenticator', () => {
  const call = jest.fn();
  const config = { rpc: { timeoutMs: 1_000 }, auth: { apiKeyCacheTtlMs: 30_000 } } as unknown as GatewayConfig;
  let authenticator: ApiKeyAuthenticator;
  let now: number;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    call.mockReset().mockResolvedValue({ principal });
    authenticator = new ApiKeyAuthenticator({ call } as unknown as RpcClient, config);
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

  it('does not remember a refusal, so the next request asks again', async () => {
    call.mockRejectedValueOnce(new DomainError('UNAUTHENTICATED', 'The API key is not valid.'));
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(authenticator.authenticate(KEY)).resolves.toEqual(principal);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('sends one request for concurrent uses of the same key', async () => {
    await Promise.all([authenticator.authenticate(KEY), authenticator.authenticate(KEY), authenticator.authenticate(KEY)]);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('refuses a principal that is not an API key', async () => {
    call.mockResolvedValue({ principal: { ...principal, kind: 'user' } });
    await expect(authenticator.authenticate(KEY)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
