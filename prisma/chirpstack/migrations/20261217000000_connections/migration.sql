-- A tenant's ChirpStack connections: where its API is, the token (sealed with the service's
-- SECRETS_KEY, bound to the row's id; never returned), and where devices go in it. One
-- connection per tenant is the default; a device names its connection or takes the default.

CREATE TABLE chirpstack.connections (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  name                 text NOT NULL,
  api_url              text NOT NULL,
  api_token_sealed     text NOT NULL,
  chirpstack_tenant_id uuid NOT NULL,
  application_id       uuid NOT NULL,
  -- Device profile per codec: {"<codec>": "<device profile id>"}.
  device_profiles      jsonb NOT NULL DEFAULT '{}',
  is_default           boolean NOT NULL DEFAULT false,
  drift_policy         text NOT NULL DEFAULT 'report-only' CHECK (drift_policy IN ('platform-wins', 'chirpstack-wins', 'report-only')),
  version              int NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX connections_one_default_idx ON chirpstack.connections (tenant_id) WHERE is_default;
CREATE UNIQUE INDEX connections_name_idx ON chirpstack.connections (tenant_id, lower(name));
CREATE INDEX connections_page_idx ON chirpstack.connections (tenant_id, created_at, id);

ALTER TABLE chirpstack.connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE chirpstack.connections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chirpstack.connections
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON chirpstack.connections TO parking_chirpstack_sync_platform_admin
  USING ((SELECT chirpstack.platform_admin_entered()));

GRANT SELECT, INSERT, UPDATE, DELETE ON chirpstack.connections TO parking_chirpstack_sync;
