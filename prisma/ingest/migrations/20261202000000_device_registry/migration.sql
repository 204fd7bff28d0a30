-- The device registry: one row per LoRaWAN device, owned by exactly one tenant. Registration
-- and the REST API write the identity columns; the uplink pipeline writes the health columns.
-- ingest.tenant_limits keeps the newest usage limits per tenant from identity.tenant.limits_changed.v1.

CREATE TABLE ingest.devices (
  id                        uuid PRIMARY KEY,
  tenant_id                 uuid NOT NULL,
  dev_eui                   text NOT NULL CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  kind                      text NOT NULL CHECK (kind IN ('sensor', 'display')),
  codec                     text NOT NULL,
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  chirpstack_application_id text,
  chirpstack_profile_id     text,
  -- Override of the codec's default; NULL means the codec's default applies.
  heartbeat_seconds         int CHECK (heartbeat_seconds > 0),
  tags                      jsonb NOT NULL DEFAULT '{}',
  version                   int NOT NULL DEFAULT 1,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  -- Health, written by the uplink pipeline.
  last_seen_at              timestamptz,
  uplink_count              bigint NOT NULL DEFAULT 0,
  battery_percent           real,
  battery_voltage           real,
  temperature_c             real,
  margin_db                 int,
  rssi                      int,
  snr                       real,
  session                   int NOT NULL DEFAULT 0,
  last_f_cnt                bigint,
  dev_addr                  text,
  latitude                  double precision,
  longitude                 double precision,
  altitude                  double precision,
  location_source           text,
  located_at                timestamptz,
  last_status_at            timestamptz
);
-- One owner platform-wide: a devEUI registered by any tenant cannot be registered again.
CREATE UNIQUE INDEX devices_dev_eui_key ON ingest.devices (dev_eui);
-- Keyset pagination on (created_at, id) within a tenant.
CREATE INDEX devices_tenant_idx ON ingest.devices (tenant_id, created_at, id);

CREATE TABLE ingest.tenant_limits (
  tenant_id  uuid PRIMARY KEY,
  -- NULL: no device limit (unlimited) in the newest limits identity announced.
  devices    int,
  version    int NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['devices', 'tenant_limits'] LOOP
    EXECUTE format('ALTER TABLE ingest.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE ingest.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON ingest.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON ingest.%I
      USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL)$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ingest.devices TO parking_ingest;
GRANT SELECT, INSERT, UPDATE ON ingest.tenant_limits TO parking_ingest;
