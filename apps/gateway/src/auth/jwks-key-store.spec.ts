import { IDENTITY_RPC, type RpcContract } from '@parking/contracts';
import type { RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { exportJWK, generateKeyPair } from 'jose';
import type { GatewayConfig } from '../config';
import { JwksKeyStore } from './jwks-key-store';

async function publicJwk(kid: string): Promise<Record<string, unknown>> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
}

describe('JwksKeyStore', () => {
  const config = { rpc: { timeoutMs: 1_000 }, auth: { jwksRefreshMinIntervalMs: 60_000, jwksRefreshIntervalMs: 1_000 } } as unknown as GatewayConfig;
  let published: Array<Record<string, unknown>>;
  const call = jest.fn();
  let store: JwksKeyStore;

  beforeEach(async () => {
    jest.useFakeTimers();
    published = [await publicJwk('old'), await publicJwk('new')];
    call.mockReset().mockImplementation(async (contract: RpcContract<object, unknown>) => {
      if (contract !== IDENTITY_RPC.jwks) throw new Error(`unexpected ${contract.subject}`);
      return { keys: published };
    });
    store = new JwksKeyStore({ call } as unknown as RpcClient, config);
    store.onApplicationBootstrap();
  });
  afterEach(async () => {
    await store.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('drops a key identity no longer publishes at the next periodic refresh, though no token asked', async () => {
    expect(await store.keyFor('old')).toBeDefined();
    published = published.filter((jwk) => jwk.kid !== 'old');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(store.cachedKey('old')).toBeUndefined();
    expect(store.cachedKey('new')).toBeDefined();
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('still asks at once about a new kid right after a periodic refresh (a key created since)', async () => {
    expect(await store.keyFor('old')).toBeDefined();
    jest.setSystemTime(Date.now() + 120_000);
    await jest.advanceTimersByTimeAsync(1_000);
    const calls = call.mock.calls.length;
    published = [...published, await publicJwk('rotated')];
    expect(await store.keyFor('rotated')).toBeDefined();
    expect(call).toHaveBeenCalledTimes(calls + 1);
  });

  it('keeps the keys it holds when a periodic refresh fails', async () => {
    expect(await store.keyFor('old')).toBeDefined();
    call.mockRejectedValue(new DomainError('UNAVAILABLE', 'No service answers rpc.identity.v1.jwks.get at the moment.'));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(store.cachedKey('old')).toBeDefined();
  });

  it('does not poll before it holds any key', async () => {
    await jest.advanceTimersByTimeAsync(3_000);
    expect(call).not.toHaveBeenCalled();
  });
});
