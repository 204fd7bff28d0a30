#!/bin/sh
# The compose stack's application secrets: adds to .env (which docker compose reads; never
# commit it) what it does not hold yet: SECRETS_KEY (identity's alone: it seals the signing keys),
# INTEGRATION_SECRETS_KEY (identity and the gateway: webhook HMAC secrets),
# CHIRPSTACK_SYNC_SECRETS_KEY (chirpstack-sync's SECRETS_KEY: ChirpStack API tokens), the RPC signing keys
# of the gateway, reservations and downlink, and their public entries in RPC_TRUSTED_KEYS, which
# every service trusts. Nothing already there is replaced. Needs Node (20 or later).
# Run it once from the repository root before `docker compose up`.
set -eu
env_file="${1:-.env}"
umask 077
touch "$env_file"
key32() { node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))"; }
# Independent keys: identity refuses to start with the same value in its two, and none may open another's secrets.
for name in SECRETS_KEY INTEGRATION_SECRETS_KEY CHIRPSTACK_SYNC_SECRETS_KEY; do
  if ! grep -q "^$name=" "$env_file"; then
    printf '%s=%s\n' "$name" "$(key32)" >> "$env_file"
  fi
done
# Each service that signs RPC proofs has its own key (RPC_SIGNING_KEY_<ISSUER>), in the same forms
# as `npm run rpc:keys`: base64url PKCS#8 and SPKI DER of an Ed25519 pair. RPC_TRUSTED_KEYS must
# hold the public entry of each; an entry missing there (an older .env lacks the later signers') is
# added to the existing line, whose other entries (a key being rotated in) stay as they are.
node - "$env_file" <<'NODE'
const { createPrivateKey, createPublicKey, generateKeyPairSync } = require('crypto');
const fs = require('fs');
const file = process.argv[2];
const ISSUERS = ['gateway', 'reservations', 'downlink'];
const b64 = (der) => der.toString('base64url');
const lines = fs.readFileSync(file, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const lastLine = (name) => lines.findLastIndex((l) => l.startsWith(name + '='));
const valueOf = (name) => {
  const at = lastLine(name);
  return at < 0 ? '' : lines[at].slice(name.length + 1).trim().replace(/^(["'])(.*)\1$/, '$2');
};
// Compose takes the last line of a name: that is the one read and, where it is empty, filled.
const set = (name, value) => {
  const at = lastLine(name);
  if (at < 0) lines.push(name + '=' + value);
  else lines[at] = name + '=' + value;
};
const entries = [];
for (const issuer of ISSUERS) {
  const name = 'RPC_SIGNING_KEY_' + issuer.toUpperCase();
  let signingKey = valueOf(name);
  if (!signingKey) {
    signingKey = b64(generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }));
    set(name, signingKey);
  }
  const privateKey = createPrivateKey({ key: Buffer.from(signingKey, 'base64url'), format: 'der', type: 'pkcs8' });
  entries.push(issuer + ':' + b64(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })));
}
const trusted = valueOf('RPC_TRUSTED_KEYS').split(',').map((e) => e.trim()).filter(Boolean);
const missing = entries.filter((entry) => !trusted.includes(entry));
if (missing.length) set('RPC_TRUSTED_KEYS', [...trusted, ...missing].join(','));
const next = lines.join('\n') + '\n';
if (next !== fs.readFileSync(file, 'utf8')) fs.writeFileSync(file, next);
NODE
chmod 600 "$env_file"
echo "$env_file: application secrets in place"
