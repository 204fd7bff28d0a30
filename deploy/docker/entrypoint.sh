#!/bin/sh
# Runs the service named by $SERVICE (or the first argument) from the shared image.
set -e
service="${1:-$SERVICE}"
case "$service" in
  migrate) exec node --enable-source-maps dist/libs/shared/database/src/cli/migrate.js ;;
  gateway|identity|ingest|occupancy|reservations|downlink|chirpstack-sync)
    exec node --enable-source-maps "dist/apps/$service/src/main.js" ;;
  *) echo "unknown SERVICE '$service'" >&2; exit 64 ;;
esac
