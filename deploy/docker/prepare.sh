#!/bin/sh
# Everything the compose stack needs before `docker compose up --build`, made once and kept:
# each service's NATS password, each PostgreSQL runtime role's password and the services' keys
# in .env (never commit it), and NATS's TLS certificate with its CA in deploy/docker/certs.
# Safe to run again: each step adds only what is missing. Needs Node and openssl.
# Usage, from the repository root: deploy/docker/prepare.sh [env-file] [certs-dir]
set -eu
here="$(dirname "$0")"
env_file="${1:-.env}"
"$here/nats-passwords.sh" "$env_file"
"$here/db-passwords.sh" "$env_file"
"$here/app-secrets.sh" "$env_file"
"$here/nats-tls.sh" "${2:-deploy/docker/certs}"
