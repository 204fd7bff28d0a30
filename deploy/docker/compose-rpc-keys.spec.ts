// docker-compose.yml is data nobody runs here; this keeps its RPC keys in step with the code:
// every service trusts the gateway's public key, only the gateway holds the private one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProofKeyPair, readPrivateKey, readTrustedKeys, keyIdOf, publicKeyOf } from '@parking/rpc-proof';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
type Service = { environment?: Record<string, string> };
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const SERVICES = ['gateway', 'identity', 'ingest', 'occupancy', 'reservations', 'downlink', 'chirpstack-sync'];

describe('docker-compose.yml RPC keys', () => {
  it.each(SERVICES)('gives %s the trusted keys from .env, and the signing key to the gateway alone', (service) => {
    const env = compose.services[service].environment ?? {};
    expect(env.RPC_TRUSTED_KEYS).toMatch(/^\$\{RPC_TRUSTED_KEYS:\?[^}]+\}$/);
    if (service === 'gateway') expect(env.RPC_SIGNING_KEY).toMatch(/^\$\{RPC_SIGNING_KEY_GATEWAY:\?[^}]+\}$/);
    else expect(env.RPC_SIGNING_KEY).toBeUndefined();
  });

  it('has app-secrets.sh write a key pair the services can read and two sealing keys, once', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'app-secrets-'));
    try {
      const envFile = path.join(dir, '.env');
      execFileSync('sh', [path.join(__dirname, 'app-secrets.sh'), envFile]);
      execFileSync('sh', [path.join(__dirname, 'app-secrets.sh'), envFile]);
      const lines = readFileSync(envFile, 'utf8').trim().split('\n');
      const values = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      expect(Object.keys(values).sort()).toEqual(['INTEGRATION_SECRETS_KEY', 'RPC_SIGNING_KEY_GATEWAY', 'RPC_TRUSTED_KEYS', 'SECRETS_KEY']);
      const [trusted] = readTrustedKeys(values.RPC_TRUSTED_KEYS);
      expect(trusted.issuer).toBe('gateway');
      expect(trusted.kid).toBe(keyIdOf(publicKeyOf(readPrivateKey(values.RPC_SIGNING_KEY_GATEWAY))));
      expect(Buffer.from(values.SECRETS_KEY, 'base64')).toHaveLength(32);
      expect(Buffer.from(values.INTEGRATION_SECRETS_KEY, 'base64')).toHaveLength(32);
      expect(values.INTEGRATION_SECRETS_KEY).not.toBe(values.SECRETS_KEY);
      expect(values.RPC_SIGNING_KEY_GATEWAY).not.toBe(generateProofKeyPair().privateKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
