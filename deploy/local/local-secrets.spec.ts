import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateProofKeyPair, keyIdOf, publicKeyOf, readPrivateKey, readTrustedKeys } from '@parking/rpc-proof';
import { localRpcEnv, localSecrets, localSecretsKeyEnv } from './local-secrets';
import { SERVICE_NAMES } from './stack-layout';

describe('the local stack’s keys', () => {
  let dir: string;
  const file = () => path.join(dir, 'secrets.json');

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'parking-local-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes one key pair each for the gateway, reservations and downlink, kept for the next start', () => {
    const first = localSecrets(dir, {});

    expect(new Set([first.gatewayRpcKey.privateKey, first.reservationsRpcKey.privateKey, first.downlinkRpcKey.privateKey]).size).toBe(3);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(localSecrets(dir, {})).toEqual(first);
  });

  it('adds the reservations and downlink keys to a data directory that holds the gateway’s only, keeping the rest', () => {
    const gatewayRpcKey = generateProofKeyPair();
    const earlier = { secretsKey: 's', integrationSecretsKey: 'i', demoEmail: 'demo@parking.local', demoPassword: 'demo-x', gatewayRpcKey };
    writeFileSync(file(), JSON.stringify(earlier), { mode: 0o600 });

    const secrets = localSecrets(dir, {});

    expect(secrets).toMatchObject(earlier);
    expect(readPrivateKey(secrets.reservationsRpcKey.privateKey)).toBeDefined();
    expect(readPrivateKey(secrets.downlinkRpcKey.privateKey)).toBeDefined();
    const kept = JSON.parse(readFileSync(file(), 'utf8'));
    expect(kept.reservationsRpcKey).toEqual(secrets.reservationsRpcKey);
    expect(kept.downlinkRpcKey).toEqual(secrets.downlinkRpcKey);
  });

  it('adds the downlink key to a data directory that holds the gateway’s and reservations’, keeping both', () => {
    const earlier = { secretsKey: 's', integrationSecretsKey: 'i', gatewayRpcKey: generateProofKeyPair(), reservationsRpcKey: generateProofKeyPair() };
    writeFileSync(file(), JSON.stringify(earlier), { mode: 0o600 });

    const secrets = localSecrets(dir, {});

    expect(secrets).toMatchObject(earlier);
    expect(readPrivateKey(secrets.downlinkRpcKey.privateKey)).toBeDefined();
    expect(localSecrets(dir, {}).downlinkRpcKey).toEqual(secrets.downlinkRpcKey);
  });

  it.each(SERVICE_NAMES)('has %s trust every signer, and sign only as itself', (service) => {
    const secrets = localSecrets(dir, {});
    const env = localRpcEnv(service, secrets);

    const trusted = readTrustedKeys(env.RPC_TRUSTED_KEYS);
    const kidOf = (pair: { privateKey: string }) => keyIdOf(publicKeyOf(readPrivateKey(pair.privateKey)));
    expect(trusted.map(({ issuer, kid }) => ({ issuer, kid }))).toEqual([
      { issuer: 'gateway', kid: kidOf(secrets.gatewayRpcKey) },
      { issuer: 'reservations', kid: kidOf(secrets.reservationsRpcKey) },
      { issuer: 'downlink', kid: kidOf(secrets.downlinkRpcKey) },
    ]);
    const own: Partial<Record<string, { privateKey: string }>> = { gateway: secrets.gatewayRpcKey, reservations: secrets.reservationsRpcKey, downlink: secrets.downlinkRpcKey };
    expect(env.RPC_SIGNING_KEY).toBe(own[service]?.privateKey);
  });

  it('gives identity and chirpstack-sync each a SECRETS_KEY of its own, and no other service any', () => {
    const secrets = localSecrets(dir, {});
    expect(new Set([secrets.secretsKey, secrets.integrationSecretsKey, secrets.chirpstackSyncSecretsKey]).size).toBe(3);
    expect(Buffer.from(secrets.chirpstackSyncSecretsKey, 'base64')).toHaveLength(32);

    const previous = { SECRETS_KEY_PREVIOUS: 'identity-previous', CHIRPSTACK_SYNC_SECRETS_KEY_PREVIOUS: 'chirpstack-sync-previous' };
    for (const service of SERVICE_NAMES) {
      const env = localSecretsKeyEnv(service, secrets, previous);
      if (service === 'identity') expect(env).toEqual({ SECRETS_KEY: secrets.secretsKey, SECRETS_KEY_PREVIOUS: 'identity-previous' });
      else if (service === 'chirpstack-sync') expect(env).toEqual({ SECRETS_KEY: secrets.chirpstackSyncSecretsKey, SECRETS_KEY_PREVIOUS: 'chirpstack-sync-previous' });
      else expect(env).toEqual({});
    }
    expect(localSecretsKeyEnv('chirpstack-sync', secrets, {})).toEqual({ SECRETS_KEY: secrets.chirpstackSyncSecretsKey });
  });

  it('adds chirpstack-sync’s key to a data directory of an earlier release, and takes CHIRPSTACK_SYNC_SECRETS_KEY from the environment', () => {
    writeFileSync(file(), JSON.stringify({ secretsKey: 's', integrationSecretsKey: 'i' }), { mode: 0o600 });
    const added = localSecrets(dir, {}).chirpstackSyncSecretsKey;
    expect(localSecrets(dir, {}).chirpstackSyncSecretsKey).toBe(added);
    expect(localSecrets(dir, { CHIRPSTACK_SYNC_SECRETS_KEY: 'given' }).chirpstackSyncSecretsKey).toBe('given');
  });
});
