-- LoRa gateways: each tied to a site of the tenant (known from occupancy's site events),
-- provisioned into ChirpStack, with its health (online/offline from ChirpStack's state and
-- last-seen time, and from the uplinks it relayed) and hourly uplink statistics.

-- occupancy's sites, as far as gateways need them: that a site exists in the tenant.
CREATE TABLE chirpstack.sites (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  name        text NOT NULL,
  version     int NOT NULL,
  removed     boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chirpstack.gateways (
  id                      uuid PRIMARY KEY,
  tenant_id               uuid NOT NULL,
  -- One owner platform-wide, as in ChirpStack.
  gateway_id              text NOT NULL UNIQUE CHECK (gateway_id ~ '^[0-9a-f]{16}$'),
  site_id                 uuid NOT NULL,
  -- The connection it is provisioned through; null until the first attempt picked one.
  connection_id           uuid,
  name                    text NOT NULL,
  description             text NOT NULL DEFAULT '',
  tags                    jsonb NOT NULL DEFAULT '{}',
  stats_interval_seconds  int NOT NULL DEFAULT 30 CHECK (stats_interval_seconds BETWEEN 5 AND 3600),
  version                 int NOT NULL DEFAULT 1,
  -- Removed: kept until ChirpStack has forgotten it.
  removed                 boolean NOT NULL DEFAULT false,
  sync_status             text NOT NULL DEFAULT 'pending' CHECK (sync_status IN ('pending', 'synced', 'failed')),
  sync_reason             text,
  sync_attempts           int NOT NULL DEFAULT 0,
  synced_version          int,
  state                   text NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown', 'online', 'offline')),
  state_changed_at        timestamptz,
  chirpstack_last_seen_at timestamptz,
  last_uplink_at          timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gateways_page_idx ON chirpstack.gateways (tenant_id, created_at, id);
CREATE INDEX gateways_connection_idx ON chirpstack.gateways (tenant_id, connection_id);

-- Uplinks each gateway relayed, per hour: the count, RSSI and SNR sums and extremes, and
-- histograms (10 dB RSSI buckets from -140, 2.5 dB SNR buckets from -20).
CREATE TABLE chirpstack.gateway_uplinks_hourly (
  tenant_id    uuid NOT NULL,
  gateway_id   text NOT NULL,
  hour         timestamptz NOT NULL,
  uplinks      int NOT NULL,
  rssi_sum     double precision NOT NULL DEFAULT 0,
  rssi_count   int NOT NULL DEFAULT 0,
  rssi_min     double precision,
  rssi_max     double precision,
  rssi_buckets int[] NOT NULL,
  snr_sum      double precision NOT NULL DEFAULT 0,
  snr_count    int NOT NULL DEFAULT 0,
  snr_min      double precision,
  snr_max      double precision,
  snr_buckets  int[] NOT NULL,
  PRIMARY KEY (tenant_id, gateway_id, hour)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sites', 'gateways', 'gateway_uplinks_hourly']
  LOOP
    EXECUTE format('ALTER TABLE chirpstack.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE chirpstack.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON chirpstack.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON chirpstack.%I TO parking_chirpstack_sync_platform_admin
      USING ((SELECT chirpstack.platform_admin_entered()))$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON chirpstack.sites TO parking_chirpstack_sync;
GRANT SELECT, INSERT, UPDATE, DELETE ON chirpstack.gateways TO parking_chirpstack_sync;
GRANT SELECT, INSERT, UPDATE, DELETE ON chirpstack.gateway_uplinks_hourly TO parking_chirpstack_sync;
