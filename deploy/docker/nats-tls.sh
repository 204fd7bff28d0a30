#!/bin/sh
# The compose stack's NATS TLS: makes, once, a private CA and a certificate of the NATS server
# (names nats and localhost) signed by it, into deploy/docker/certs (git ignores it; never commit
# it). docker-compose.yml mounts server.crt and server.key into NATS and ca.crt into every service
# (NODE_EXTRA_CA_CERTS). Files already there are kept: delete server.crt to renew the server's
# certificate under the same CA; delete the directory to replace the CA too. Needs openssl.
# Run it once from the repository root before `docker compose up`.
set -eu
dir="${1:-deploy/docker/certs}"
umask 077
mkdir -p "$dir"
random_serial() { printf '0x%s' "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; }
# openssl chatters on stderr: show it only when it fails.
quiet() { out="$("$@" 2>&1)" || { printf '%s\n' "$out" >&2; return 1; }; }
made=""
if [ ! -f "$dir/ca.crt" ]; then
  # Node trusts this CA process-wide (NODE_EXTRA_CA_CERTS): its name constraints keep it from
  # vouching for any name but NATS's, should its key ever leak.
  quiet openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/CN=parking compose NATS CA" -set_serial "$(random_serial)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "nameConstraints=critical,permitted;DNS:nats,permitted;DNS:localhost,excluded;IP:0.0.0.0/0.0.0.0,excluded;IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt"
  # A server certificate of the CA this replaces would no longer be trusted.
  rm -f "$dir/server.crt" "$dir/server.key"
  made="$made ca.crt"
fi
if [ ! -f "$dir/server.crt" ] || [ ! -f "$dir/server.key" ]; then
  if [ ! -f "$dir/ca.key" ]; then
    echo "$dir/ca.key is missing: cannot sign a server certificate (delete $dir to start over)" >&2
    exit 1
  fi
  ext="$(mktemp)"
  trap 'rm -f "$ext" "$dir/server.csr"' EXIT
  printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
    'extendedKeyUsage=serverAuth' 'subjectAltName=DNS:nats,DNS:localhost' > "$ext"
  quiet openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=nats" \
    -keyout "$dir/server.key" -out "$dir/server.csr"
  quiet openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -sha256 -days 825 \
    -set_serial "$(random_serial)" -extfile "$ext" -out "$dir/server.crt"
  made="$made server.crt"
fi
# Certificates are public and read by the containers' own users; keys stay 0600.
chmod 644 "$dir/ca.crt" "$dir/server.crt"
chmod 600 "$dir/server.key"
if [ -f "$dir/ca.key" ]; then chmod 600 "$dir/ca.key"; fi
echo "$dir: NATS TLS in place${made:+ (made:$made)}"
