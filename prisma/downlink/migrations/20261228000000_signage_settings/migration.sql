-- Each tenant's signage settings: the RX2 data rate its network sends class C frames at (its
-- ChirpStack's region configuration), which each frame's airtime is counted at.
CREATE TABLE downlink.tenant_settings (
  tenant_id      uuid PRIMARY KEY,
  rx2_data_rate  int CHECK (rx2_data_rate BETWEEN 0 AND 6),
  version        int NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE downlink.tenant_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE downlink.tenant_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON downlink.tenant_settings
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON downlink.tenant_settings TO parking_downlink_platform_admin
  USING ((SELECT downlink.platform_admin_entered()));

GRANT SELECT, INSERT, UPDATE ON downlink.tenant_settings TO parking_downlink;
