import { IsOptional } from 'class-validator';
import { EnvInt, EnvPattern, EnvSecretsKey, EnvUrl } from './env-validators';

// TypeScript only accepts a mixin base whose constructor takes `any[]`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EnvBase = new (...args: any[]) => object;

/** Adds `HTTP_PORT` with the app's own default: `class IdentityEnv extends HttpEnv(ServiceEnv, 3001) {}`. */
export function HttpEnv<TBase extends EnvBase>(Base: TBase, defaultPort: number) {
  class WithHttpPort extends Base {
    @EnvInt({ min: 1, max: 65535 })
    HTTP_PORT: number = defaultPort;
  }
  return WithHttpPort;
}

/** Adds the required `DATABASE_URL`: `class IdentityEnv extends DatabaseEnv(HttpEnv(ServiceEnv, 3001)) {}`. */
export function DatabaseEnv<TBase extends EnvBase>(Base: TBase) {
  class WithDatabase extends Base {
    @EnvUrl(['postgres', 'postgresql'])
    DATABASE_URL!: string;

    /**
     * The password of DATABASE_URL's role, kept apart so it can come from that role's own
     * secret (Kubernetes, compose); it replaces any password in the URL.
     */
    @IsOptional()
    @EnvPattern(/^\S+$/, 'a password without spaces')
    DATABASE_PASSWORD?: string;
  }
  return WithDatabase;
}

/** The URL a data service connects with: DATABASE_URL, with DATABASE_PASSWORD in it when set. */
export function databaseUrl(env: { DATABASE_URL: string; DATABASE_PASSWORD?: string }): string {
  if (!env.DATABASE_PASSWORD) return env.DATABASE_URL;
  const url = new URL(env.DATABASE_URL);
  // The setter leaves `%` as it is; encoding first keeps any password intact.
  url.password = encodeURIComponent(env.DATABASE_PASSWORD);
  return url.toString();
}

const RPC_KEY = '[A-Za-z0-9_-]{40,200}';
const RPC_ISSUER_KEYS = new RegExp(`^\\s*[a-z][a-z0-9-]*:${RPC_KEY}\\s*(,\\s*[a-z][a-z0-9-]*:${RPC_KEY}\\s*)*$`);

/**
 * Adds the required `RPC_TRUSTED_KEYS` of a service that answers RPCs: the callers whose
 * proofs it accepts, as `issuer:public-key` pairs (several per issuer while a key rotates);
 * and the optional `RPC_SIGNING_KEY` it signs its own calls to other services with.
 */
export function RpcServerEnv<TBase extends EnvBase>(Base: TBase) {
  class WithRpcTrust extends Base {
    @EnvPattern(RPC_ISSUER_KEYS, 'issuer:base64url-public-key pairs, comma-separated (npm run rpc:keys makes them)')
    RPC_TRUSTED_KEYS!: string;

    @IsOptional()
    @EnvPattern(new RegExp(`^${RPC_KEY}$`), 'an Ed25519 private key as base64url PKCS#8 DER (npm run rpc:keys makes one)')
    RPC_SIGNING_KEY?: string;
  }
  return WithRpcTrust;
}

/** Adds the required `RPC_SIGNING_KEY` of a service that calls others (the gateway): it signs every request's proof. */
export function RpcCallerEnv<TBase extends EnvBase>(Base: TBase) {
  class WithRpcSigning extends Base {
    @EnvPattern(new RegExp(`^${RPC_KEY}$`), 'an Ed25519 private key as base64url PKCS#8 DER (npm run rpc:keys makes one)')
    RPC_SIGNING_KEY!: string;
  }
  return WithRpcSigning;
}

/** A @parking/secret-box key and the keys before it, which still open what they sealed. */
export interface SecretsKeys {
  key: string;
  previousKeys: readonly string[];
}

/**
 * Adds the required `SECRETS_KEY` of a service that seals secrets it must read back
 * (@parking/secret-box), and `SECRETS_KEY_PREVIOUS` while that key is rotated. Each such
 * service has its own, so none can open another's secrets; no default, anywhere.
 */
export function SecretsKeyEnv<TBase extends EnvBase>(Base: TBase) {
  class WithSecretsKey extends Base {
    @EnvSecretsKey()
    SECRETS_KEY!: string;

    /** The key before the last rotation of SECRETS_KEY, so values it sealed can still be opened. */
    @IsOptional()
    @EnvSecretsKey()
    SECRETS_KEY_PREVIOUS?: string;
  }
  return WithSecretsKey;
}

/** A key variable and its `_PREVIOUS` (already validated) as the SecretBox takes them. */
export function secretsKeysFrom(key: string, previous?: string): SecretsKeys {
  return { key, previousKeys: previous ? [previous] : [] };
}
