import { ConfigError, EXIT_CONFIG_ERROR, loadConfig } from '@parking/config';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { bootDownlinkConfig, downlinkConfigFrom, DownlinkEnv } from './config';

const RPC_TRUSTED_KEYS = trustedKeyEntry('gateway', generateProofKeyPair().publicKey);
const RPC_SIGNING_KEY = generateProofKeyPair().privateKey;
const BASE = { DATABASE_URL: 'postgres://parking_downlink@localhost/parking', RPC_TRUSTED_KEYS, RPC_SIGNING_KEY };

describe('downlink configuration', () => {
  afterEach(() => jest.restoreAllMocks());

  it('needs its own RPC_SIGNING_KEY (it calls chirpstack-sync)', () => {
    const missing = () => downlinkConfigFrom(loadConfig(DownlinkEnv, { DATABASE_URL: BASE.DATABASE_URL, RPC_TRUSTED_KEYS }));
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/RPC_SIGNING_KEY/);
  });

  it('has the data-service settings and signs with its key', () => {
    const config = downlinkConfigFrom(loadConfig(DownlinkEnv, BASE));
    expect(config).toMatchObject({ service: 'downlink', http: { port: 3005 }, database: { url: BASE.DATABASE_URL, poolMax: 10 } });
    expect(config.rpcProof).toEqual({ trustedKeys: RPC_TRUSTED_KEYS, signingKey: RPC_SIGNING_KEY });
    expect(config.signage).toEqual({ rx2DataRate: 0, minFrameIntervalMs: 2_000, maxSends: 6, headroom: 0.2, tenantAirtimeMsPerHour: 360_000, refreshIntervalMs: 3_600_000 });
  });

  it('takes the RX2 data rate of class C frames, DR0 to DR6', () => {
    expect(downlinkConfigFrom(loadConfig(DownlinkEnv, { ...BASE, SIGNAGE_RX2_DATA_RATE: '3' })).signage.rx2DataRate).toBe(3);
    expect(() => loadConfig(DownlinkEnv, { ...BASE, SIGNAGE_RX2_DATA_RATE: '7' })).toThrow(/SIGNAGE_RX2_DATA_RATE/);
  });

  it('exits 78 at boot without the key, saying which variable', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit');
    });
    const saved = process.env;
    process.env = { DATABASE_URL: BASE.DATABASE_URL, RPC_TRUSTED_KEYS };
    try {
      expect(() => bootDownlinkConfig()).toThrow('exit');
    } finally {
      process.env = saved;
    }
    expect(exit).toHaveBeenCalledWith(EXIT_CONFIG_ERROR);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/RPC_SIGNING_KEY/);
  });
});
