import { ConfigError, EXIT_CONFIG_ERROR, loadConfig } from '@parking/config';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { bootChirpstackSyncConfig, chirpstackSyncConfigFrom, ChirpstackSyncEnv } from './chirpstack-sync-config';

const KEY = Buffer.alloc(32, 5).toString('base64');
const PREVIOUS = Buffer.alloc(32, 6).toString('base64');
const RPC_TRUSTED_KEYS = trustedKeyEntry('gateway', generateProofKeyPair().publicKey);
const BASE = { DATABASE_URL: 'postgres://parking_chirpstack_sync@localhost/parking', SECRETS_KEY: KEY, RPC_TRUSTED_KEYS };

const configFrom = (env: NodeJS.ProcessEnv) => chirpstackSyncConfigFrom(loadConfig(ChirpstackSyncEnv, env));

describe('chirpstack-sync configuration', () => {
  afterEach(() => jest.restoreAllMocks());

  it('needs SECRETS_KEY, with no default', () => {
    const { SECRETS_KEY: _omitted, ...withoutIt } = BASE;
    expect(() => configFrom(withoutIt)).toThrow(ConfigError);
    expect(() => configFrom(withoutIt)).toThrow(/SECRETS_KEY: must be base64 of 32 random bytes .*\(not set\)/);
  });

  it('refuses a bad SECRETS_KEY without echoing it', () => {
    for (const bad of ['too-short-secret', Buffer.alloc(16, 5).toString('base64')]) {
      let message = '';
      try {
        configFrom({ ...BASE, SECRETS_KEY: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/SECRETS_KEY: .*\(value hidden\)/);
      expect(message).not.toContain(bad);
    }
  });

  it('takes a good key, and the one before a rotation, beside the data-service settings', () => {
    const config = configFrom({ ...BASE, SECRETS_KEY_PREVIOUS: PREVIOUS });
    expect(config.secretsKey).toEqual({ key: KEY, previousKeys: [PREVIOUS] });
    expect(configFrom(BASE).secretsKey).toEqual({ key: KEY, previousKeys: [] });
    expect(config).toMatchObject({ service: 'chirpstack-sync', http: { port: 3006 }, database: { url: BASE.DATABASE_URL, poolMax: 10 } });
    expect(config.rpcProof).toEqual({ trustedKeys: RPC_TRUSTED_KEYS, signingKey: undefined });
  });

  it('reconciles every 5 minutes and reads at most 100 devices whole by default; RECONCILE_INTERVAL_SECONDS and RECONCILE_INSPECT_MAX change that', () => {
    expect(configFrom(BASE).reconciliation).toMatchObject({ intervalMs: 300_000, inspectMax: 100 });
    expect(configFrom({ ...BASE, RECONCILE_INTERVAL_SECONDS: '60', RECONCILE_INSPECT_MAX: '0' }).reconciliation).toMatchObject({ intervalMs: 60_000, inspectMax: 0 });
    expect(() => configFrom({ ...BASE, RECONCILE_INTERVAL_SECONDS: '1' })).toThrow(/RECONCILE_INTERVAL_SECONDS/);
  });

  it('polls gateway states every minute by default (GATEWAY_POLL_INTERVAL_SECONDS)', () => {
    expect(configFrom(BASE).gatewayHealth).toEqual({ intervalMs: 60_000 });
    expect(configFrom({ ...BASE, GATEWAY_POLL_INTERVAL_SECONDS: '15' }).gatewayHealth).toEqual({ intervalMs: 15_000 });
    expect(() => configFrom({ ...BASE, GATEWAY_POLL_INTERVAL_SECONDS: '1' })).toThrow(/GATEWAY_POLL_INTERVAL_SECONDS/);
  });

  it('bounds the device sync retries by DEVICE_SYNC_RETRY_MAX_SECONDS (5 minutes by default) and refuses nonsense', () => {
    expect(configFrom(BASE).deviceSync.backoff).toEqual({ initialMs: 2_000, factor: 2, maxMs: 300_000 });
    expect(configFrom({ ...BASE, DEVICE_SYNC_RETRY_MAX_SECONDS: '60' }).deviceSync.backoff.maxMs).toBe(60_000);
    expect(() => configFrom({ ...BASE, DEVICE_SYNC_RETRY_MAX_SECONDS: '0' })).toThrow(/DEVICE_SYNC_RETRY_MAX_SECONDS/);
  });

  it('exits 78 at boot on a bad key, saying which variable and not its value', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit');
    });
    const saved = process.env;
    process.env = { ...BASE, SECRETS_KEY: 'too-short-secret' };
    try {
      expect(() => bootChirpstackSyncConfig()).toThrow('exit');
    } finally {
      process.env = saved;
    }
    expect(exit).toHaveBeenCalledWith(EXIT_CONFIG_ERROR);
    const message = String(stderr.mock.calls[0]?.[0]);
    expect(message).toMatch(/SECRETS_KEY: .*\(value hidden\)/);
    expect(message).not.toContain('too-short-secret');
  });
});
