-- Devices a ChirpStack reconciliation found in a connection's application that the tenant's
-- registry does not hold (chirpstack.device.orphan_found.v1). Unlike ingest.orphans (events
-- without an owner), these have a suggested owner: the connection's tenant, so each row is
-- that tenant's and RLS isolates it. Registering the devEUI in that tenant deletes the row.
-- Runs as parking_owner (the runner does SET LOCAL ROLE).

CREATE TABLE ingest.chirpstack_orphans (
  -- The suggested tenant: the tenant of the connection that found the device.
  tenant_id         uuid NOT NULL,
  dev_eui           text NOT NULL CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  -- The connection of the newest report (a tenant may have several).
  connection_id     uuid NOT NULL,
  -- As ChirpStack held the device in the newest report.
  name              text NOT NULL,
  application_id    text NOT NULL,
  device_profile_id text NOT NULL,
  -- NULL: ChirpStack never heard the device.
  last_seen_at      timestamptz,
  first_found_at    timestamptz NOT NULL,
  last_found_at     timestamptz NOT NULL,
  times_found       int NOT NULL DEFAULT 1 CHECK (times_found > 0),
  PRIMARY KEY (tenant_id, dev_eui)
);

ALTER TABLE ingest.chirpstack_orphans ENABLE ROW LEVEL SECURITY;
ALTER TABLE ingest.chirpstack_orphans FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ingest.chirpstack_orphans
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON ingest.chirpstack_orphans TO parking_ingest_platform_admin USING ((SELECT ingest.platform_admin_entered()));

GRANT SELECT, INSERT, UPDATE, DELETE ON ingest.chirpstack_orphans TO parking_ingest;
