// docker-compose.yml is data nobody runs here; this keeps its RPC keys in step with the code:
// every service trusts the public keys of the gateway, reservations and downlink, and each of
// those three alone holds its private one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProofKeyPair, readPrivateKey, readTrustedKeys, keyIdOf, publicKeyOf, trustedKeyEntry } from '@parking/rpc-proof';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
type Service = { environment?: Record<string, string> };
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const SERVICES = ['gateway', 'identity', 'ingest', 'occupancy', 'reservations', 'downlink', 'chirpstack-sync'];
/** The services that sign RPC proofs, and the .env variable of each one's key. */
const SIGNERS: Record<string, string> = { gateway: 'RPC_SIGNING_KEY_GATEWAY', reservations: 'RPC_SIGNING_KEY_RESERVATIONS', downlink: 'RPC_SIGNING_KEY_DOWNLINK' };

const kidOfSigningKey = (signingKey: string) => keyIdOf(publicKeyOf(readPrivateKey(signingKey)));
const readEnvFile = (file: string) => {
  const lines = readFileSync(file, 'utf8').trim().split('\n').filter((line) => !line.startsWith('#'));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
};

describe('docker-compose.yml RPC keys', () => {
  let dir: string;
  const envFile = () => path.join(dir, '.env');
  const appSecrets = () => execFileSync('sh', [path.join(__dirname, 'app-secrets.sh'), envFile()]);
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'app-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(SERVICES)('gives %s the trusted keys from .env, and a signing key only to the gateway, reservations and downlink, each its own', (service) => {
    const env = compose.services[service].environment ?? {};
    expect(env.RPC_TRUSTED_KEYS).toMatch(/^\$\{RPC_TRUSTED_KEYS:\?[^}]+\}$/);
    if (SIGNERS[service]) expect(env.RPC_SIGNING_KEY).toMatch(new RegExp(`^\\$\\{${SIGNERS[service]}:\\?[^}]+\\}$`));
    else expect(env.RPC_SIGNING_KEY).toBeUndefined();
  });

  it('has app-secrets.sh write a key pair per signer that the services can read and three sealing keys, once', () => {
    appSecrets();
    const first = readFileSync(envFile(), 'utf8');
    appSecrets();
    expect(readFileSync(envFile(), 'utf8')).toBe(first);
    expect(statSync(envFile()).mode & 0o777).toBe(0o600);
    const values = readEnvFile(envFile());
    expect(Object.keys(values).sort()).toEqual(['CHIRPSTACK_SYNC_SECRETS_KEY', 'INTEGRATION_SECRETS_KEY', 'RPC_SIGNING_KEY_DOWNLINK', 'RPC_SIGNING_KEY_GATEWAY', 'RPC_SIGNING_KEY_RESERVATIONS', 'RPC_TRUSTED_KEYS', 'SECRETS_KEY']);
    expect(readTrustedKeys(values.RPC_TRUSTED_KEYS).map(({ issuer, kid }) => ({ issuer, kid }))).toEqual([
      { issuer: 'gateway', kid: kidOfSigningKey(values.RPC_SIGNING_KEY_GATEWAY) },
      { issuer: 'reservations', kid: kidOfSigningKey(values.RPC_SIGNING_KEY_RESERVATIONS) },
      { issuer: 'downlink', kid: kidOfSigningKey(values.RPC_SIGNING_KEY_DOWNLINK) },
    ]);
    expect(new Set(Object.values(SIGNERS).map((name) => values[name])).size).toBe(3);
    expect(Buffer.from(values.SECRETS_KEY, 'base64')).toHaveLength(32);
    expect(Buffer.from(values.INTEGRATION_SECRETS_KEY, 'base64')).toHaveLength(32);
    expect(Buffer.from(values.CHIRPSTACK_SYNC_SECRETS_KEY, 'base64')).toHaveLength(32);
    expect(new Set([values.SECRETS_KEY, values.INTEGRATION_SECRETS_KEY, values.CHIRPSTACK_SYNC_SECRETS_KEY]).size).toBe(3);
    expect(values.RPC_SIGNING_KEY_GATEWAY).not.toBe(generateProofKeyPair().privateKey);
  });

  it("adds the keys and trusted entries of reservations and downlink, and chirpstack-sync's sealing key, to a .env that has the gateway's only, and keeps everything there", () => {
    const gateway = generateProofKeyPair();
    // A gateway key being rotated in: trusted beside the current one, not yet signing.
    const next = generateProofKeyPair();
    const trusted = [trustedKeyEntry('gateway', gateway.publicKey), trustedKeyEntry('gateway', next.publicKey)].join(',');
    const earlier = ['# the operator’s note', 'SECRETS_KEY=a2V5', 'INTEGRATION_SECRETS_KEY=b3RoZXI=', `RPC_SIGNING_KEY_GATEWAY=${gateway.privateKey}`, `RPC_TRUSTED_KEYS=${trusted}`, 'LOG_LEVEL=debug'];
    writeFileSync(envFile(), `${earlier.join('\n')}\n`);

    appSecrets();

    const lines = readFileSync(envFile(), 'utf8').trim().split('\n');
    expect(lines.filter((line) => !/^(RPC_(TRUSTED_KEYS|SIGNING_KEY_RESERVATIONS|SIGNING_KEY_DOWNLINK)|CHIRPSTACK_SYNC_SECRETS_KEY)=/.test(line))).toEqual(earlier.filter((line) => !line.startsWith('RPC_TRUSTED_KEYS=')));
    expect(lines.filter((line) => line.startsWith('RPC_TRUSTED_KEYS='))).toHaveLength(1);
    const values = readEnvFile(envFile());
    expect(values.RPC_SIGNING_KEY_GATEWAY).toBe(gateway.privateKey);
    expect(Buffer.from(values.CHIRPSTACK_SYNC_SECRETS_KEY, 'base64')).toHaveLength(32);
    expect(values.RPC_TRUSTED_KEYS.startsWith(`${trusted},reservations:`)).toBe(true);
    expect(readTrustedKeys(values.RPC_TRUSTED_KEYS).slice(-2)).toMatchObject([
      { issuer: 'reservations', kid: kidOfSigningKey(values.RPC_SIGNING_KEY_RESERVATIONS) },
      { issuer: 'downlink', kid: kidOfSigningKey(values.RPC_SIGNING_KEY_DOWNLINK) },
    ]);
    const once = readFileSync(envFile(), 'utf8');
    appSecrets();
    expect(readFileSync(envFile(), 'utf8')).toBe(once);
  });

  it("adds downlink's key and trusted entry to a .env that has the gateway's and reservations', and keeps everything there", () => {
    const gateway = generateProofKeyPair();
    const reservations = generateProofKeyPair();
    const trusted = [trustedKeyEntry('gateway', gateway.publicKey), trustedKeyEntry('reservations', reservations.publicKey)].join(',');
    const earlier = ['SECRETS_KEY=a2V5', 'INTEGRATION_SECRETS_KEY=b3RoZXI=', 'CHIRPSTACK_SYNC_SECRETS_KEY=dGhpcmQ=', `RPC_SIGNING_KEY_GATEWAY=${gateway.privateKey}`, `RPC_TRUSTED_KEYS=${trusted}`, `RPC_SIGNING_KEY_RESERVATIONS=${reservations.privateKey}`];
    writeFileSync(envFile(), `${earlier.join('\n')}\n`);

    appSecrets();

    const lines = readFileSync(envFile(), 'utf8').trim().split('\n');
    expect(lines.filter((line) => !/^RPC_(TRUSTED_KEYS|SIGNING_KEY_DOWNLINK)=/.test(line))).toEqual(earlier.filter((line) => !line.startsWith('RPC_TRUSTED_KEYS=')));
    const values = readEnvFile(envFile());
    expect(values.RPC_TRUSTED_KEYS.startsWith(`${trusted},downlink:`)).toBe(true);
    expect(readTrustedKeys(values.RPC_TRUSTED_KEYS).map(({ issuer, kid }) => ({ issuer, kid }))).toEqual([
      { issuer: 'gateway', kid: kidOfSigningKey(gateway.privateKey) },
      { issuer: 'reservations', kid: kidOfSigningKey(reservations.privateKey) },
      { issuer: 'downlink', kid: kidOfSigningKey(values.RPC_SIGNING_KEY_DOWNLINK) },
    ]);
    const once = readFileSync(envFile(), 'utf8');
    appSecrets();
    expect(readFileSync(envFile(), 'utf8')).toBe(once);
  });

  it("adds a signer's trusted entry that is missing though its key is there, and replaces no key", () => {
    appSecrets();
    const { RPC_TRUSTED_KEYS: _dropped, ...kept } = readEnvFile(envFile());
    writeFileSync(envFile(), `${Object.entries({ ...kept, RPC_TRUSTED_KEYS: '' }).map(([name, value]) => `${name}=${value}`).join('\n')}\n`);

    appSecrets();

    const values = readEnvFile(envFile());
    expect(values).toMatchObject(kept);
    expect(readTrustedKeys(values.RPC_TRUSTED_KEYS).map((key) => key.kid)).toEqual([
      kidOfSigningKey(kept.RPC_SIGNING_KEY_GATEWAY),
      kidOfSigningKey(kept.RPC_SIGNING_KEY_RESERVATIONS),
      kidOfSigningKey(kept.RPC_SIGNING_KEY_DOWNLINK),
    ]);
  });
});
