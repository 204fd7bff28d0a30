#!/bin/sh
# Gives each service of the compose stack its own NATS password: appends to .env (which docker
# compose reads; never commit it) every NATS_PASSWORD_<SERVICE> it does not hold yet, as "n" and
# 48 random hex digits (a letter first: nats-server parses the variable as a config value).
# Run it once from the repository root before `docker compose up`.
set -eu
env_file="${1:-.env}"
umask 077
touch "$env_file"
added=0
for service in GATEWAY IDENTITY INGEST OCCUPANCY RESERVATIONS DOWNLINK CHIRPSTACK_SYNC; do
  name="NATS_PASSWORD_$service"
  if ! grep -q "^$name=" "$env_file"; then
    printf '%s=n%s\n' "$name" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >> "$env_file"
    added=$((added + 1))
  fi
done
chmod 600 "$env_file"
echo "$env_file: $added NATS password(s) added"
