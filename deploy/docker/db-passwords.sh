#!/bin/sh
# Gives each PostgreSQL runtime role of the compose stack its own password: appends to .env
# (which docker compose reads; never commit it) every DB_PASSWORD_<SERVICE> it does not hold
# yet, as 48 random hex digits. Run it once from the repository root before `docker compose up`.
set -eu
env_file="${1:-.env}"
umask 077
touch "$env_file"
added=0
for service in IDENTITY INGEST OCCUPANCY RESERVATIONS DOWNLINK CHIRPSTACK_SYNC; do
  name="DB_PASSWORD_$service"
  if ! grep -q "^$name=" "$env_file"; then
    printf '%s=%s\n' "$name" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >> "$env_file"
    added=$((added + 1))
  fi
done
chmod 600 "$env_file"
echo "$env_file: $added database password(s) added"
