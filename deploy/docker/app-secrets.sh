#!/bin/sh
# The compose stack's application secrets: appends to .env (which docker compose reads; never
# commit it) what it does not hold yet: SECRETS_KEY (identity's alone: it seals the signing keys),
# INTEGRATION_SECRETS_KEY (identity and the gateway: webhook HMAC secrets), the gateway's RPC
# signing key and the public entry every service trusts (RPC_TRUSTED_KEYS). Needs Node.
# Run it once from the repository root before `docker compose up`.
set -eu
env_file="${1:-.env}"
umask 077
touch "$env_file"
key32() { node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))"; }
# Two independent keys: identity refuses to start with the same value in both.
for name in SECRETS_KEY INTEGRATION_SECRETS_KEY; do
  if ! grep -q "^$name=" "$env_file"; then
    printf '%s=%s\n' "$name" "$(key32)" >> "$env_file"
  fi
done
if ! grep -q '^RPC_SIGNING_KEY_GATEWAY=' "$env_file"; then
  # The same forms as `npm run rpc:keys`: base64url PKCS#8 and SPKI DER of an Ed25519 pair.
  node -e "
    const { generateKeyPairSync } = require('crypto');
    const pair = generateKeyPairSync('ed25519');
    const b64 = (der) => der.toString('base64url');
    process.stdout.write('RPC_SIGNING_KEY_GATEWAY=' + b64(pair.privateKey.export({ format: 'der', type: 'pkcs8' })) + '\n');
    process.stdout.write('RPC_TRUSTED_KEYS=gateway:' + b64(pair.publicKey.export({ format: 'der', type: 'spki' })) + '\n');
  " >> "$env_file"
fi
chmod 600 "$env_file"
echo "$env_file: application secrets in place"
