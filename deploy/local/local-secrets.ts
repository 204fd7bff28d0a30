import { randomBytes } from 'node:crypto';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalSecrets {
  /** AES-256-GCM key (base64) of identity alone: it seals the access-token signing keys (SECRETS_KEY). */
  secretsKey: string;
  /** AES-256-GCM key (base64) that identity and the gateway share for webhook HMAC secrets (INTEGRATION_SECRETS_KEY). */
  integrationSecretsKey: string;
  /** AES-256-GCM key (base64) of chirpstack-sync alone (its SECRETS_KEY): ChirpStack API tokens, OTAA keys. */
  chirpstackSyncSecretsKey: string;
  demoEmail: string;
  demoPassword: string;
  /** The gateway's key for RPC proofs (base64url PKCS#8) and its public half, which every service trusts. */
  gatewayRpcKey: { privateKey: string; publicKey: string };
  /** The reservations service's own key for the RPCs it sends (occupancy's inventory snapshot), likewise. */
  reservationsRpcKey: { privateKey: string; publicKey: string };
  /** The downlink service's own key for the RPCs it sends (to chirpstack-sync), likewise. */
  downlinkRpcKey: { privateKey: string; publicKey: string };
}

/**
 * Secrets of a local stack: made once and kept in the data directory (mode 0600), so a
 * second start can still read what the first encrypted and the demo login stays the same.
 * SECRETS_KEY, INTEGRATION_SECRETS_KEY, CHIRPSTACK_SYNC_SECRETS_KEY, DEMO_EMAIL and DEMO_PASSWORD in the
 * environment win.
 */
export function localSecrets(dataDir: string, env: NodeJS.ProcessEnv): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const stored: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: LocalSecrets = {
    secretsKey: env.SECRETS_KEY || stored.secretsKey || randomBytes(32).toString('base64'),
    // A data directory of an earlier release has none: a new one, and identity re-seals the HMAC secrets under it.
    integrationSecretsKey: env.INTEGRATION_SECRETS_KEY || stored.integrationSecretsKey || randomBytes(32).toString('base64'),
    // Likewise added to an earlier data directory: nothing was sealed under it yet.
    chirpstackSyncSecretsKey: env.CHIRPSTACK_SYNC_SECRETS_KEY || stored.chirpstackSyncSecretsKey || randomBytes(32).toString('base64'),
    demoEmail: env.DEMO_EMAIL || stored.demoEmail || 'demo@parking.local',
    demoPassword: env.DEMO_PASSWORD || stored.demoPassword || `demo-${randomBytes(9).toString('base64url')}`,
    gatewayRpcKey: stored.gatewayRpcKey ?? generateProofKeyPair(),
    // A data directory of an earlier release has the gateway's key only: the reservations key is added beside it.
    reservationsRpcKey: stored.reservationsRpcKey ?? generateProofKeyPair(),
    // Likewise the downlink key, beside those already there.
    downlinkRpcKey: stored.downlinkRpcKey ?? generateProofKeyPair(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The services that sign their own RPC proofs (the issuer each signs as), and where each one's key is kept. */
const RPC_SIGNERS = [
  ['gateway', 'gatewayRpcKey'],
  ['reservations', 'reservationsRpcKey'],
  ['downlink', 'downlinkRpcKey'],
] as const;

/**
 * The RPC proof settings of one service of the local stack: every service trusts every signer
 * (each contract names the issuers it takes); the gateway, reservations and downlink each sign
 * with their own key, the others with none.
 */
export function localRpcEnv(service: string, secrets: LocalSecrets): { RPC_TRUSTED_KEYS: string; RPC_SIGNING_KEY?: string } {
  const trusted = RPC_SIGNERS.map(([issuer, key]) => trustedKeyEntry(issuer, secrets[key].publicKey)).join(',');
  const signing = RPC_SIGNERS.find(([issuer]) => issuer === service)?.[1];
  return { RPC_TRUSTED_KEYS: trusted, ...(signing ? { RPC_SIGNING_KEY: secrets[signing].privateKey } : {}) };
}

/**
 * The SECRETS_KEY of one service of the local stack: identity and chirpstack-sync each get their
 * own (and its previous key while one is rotated: SECRETS_KEY_PREVIOUS for identity,
 * CHIRPSTACK_SYNC_SECRETS_KEY_PREVIOUS for chirpstack-sync), no other service any.
 */
export function localSecretsKeyEnv(service: string, secrets: LocalSecrets, env: NodeJS.ProcessEnv): { SECRETS_KEY?: string; SECRETS_KEY_PREVIOUS?: string } {
  const own =
    service === 'identity'
      ? { key: secrets.secretsKey, previous: env.SECRETS_KEY_PREVIOUS }
      : service === 'chirpstack-sync'
        ? { key: secrets.chirpstackSyncSecretsKey, previous: env.CHIRPSTACK_SYNC_SECRETS_KEY_PREVIOUS }
        : undefined;
  if (!own) return {};
  return { SECRETS_KEY: own.key, ...(own.previous ? { SECRETS_KEY_PREVIOUS: own.previous } : {}) };
}
