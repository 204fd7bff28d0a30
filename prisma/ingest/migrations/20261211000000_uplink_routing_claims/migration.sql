-- Uplink routing by ChirpStack application, claims and capped orphans (docs/security.md):
-- * device_owners also answers the application each device names, and which tenants' devices
--   name each application asked about, so the pipeline routes a platform-signed event by
--   tenant, application and devEUI with the one lookup it made per batch before;
-- * orphan_sources records who sent each orphan: a tenant's integrations, or the platform
--   secret (the zero uuid). A devEUI another tenant's integration sent cannot be registered
--   without a platform admin (registration reads this table), and each source may hold at most
--   a fixed number of distinct devEUIs (the pipeline counts them here);
-- * orphan_source_quota serialises each source's orphan recording (its row is locked) and
--   counts the events refused past the cap;
-- * device_import_windows counts each tenant's device imports per minute.
-- Runs as parking_owner (the runner does SET LOCAL ROLE).

-- Which tenants' devices name an application: two index probes per application (device_owners).
CREATE INDEX devices_application_idx ON ingest.devices (chirpstack_application_id, tenant_id) WHERE chirpstack_application_id IS NOT NULL;

DROP FUNCTION ingest.device_owners(text[]);

-- System path (device-lookup). Rows with a dev_eui: the tenant that registered it and the
-- application the device names (NULL: none). Rows without: a tenant whose devices name the
-- application, at most two per application (enough to tell whether another tenant names it).
CREATE FUNCTION ingest.device_owners(dev_euis text[], application_ids text[])
  RETURNS TABLE (dev_eui text, tenant_id uuid, application_id text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'ingest.device_owners runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT d.dev_eui, d.tenant_id, d.chirpstack_application_id
      FROM ingest.devices d WHERE d.dev_eui = ANY (dev_euis)
    UNION ALL
    SELECT NULL::text, t.tenant_id, a.app
      FROM (SELECT DISTINCT x AS app FROM unnest(application_ids) AS x WHERE x IS NOT NULL) a
      CROSS JOIN LATERAL (SELECT f.tenant_id AS first_tenant FROM ingest.devices f
                           WHERE f.chirpstack_application_id = a.app ORDER BY f.tenant_id LIMIT 1) head
      CROSS JOIN LATERAL (SELECT head.first_tenant AS tenant_id
                          UNION ALL
                          (SELECT n.tenant_id FROM ingest.devices n
                            WHERE n.chirpstack_application_id = a.app AND n.tenant_id > head.first_tenant
                            ORDER BY n.tenant_id LIMIT 1)) t;
END
$$;

REVOKE EXECUTE ON FUNCTION ingest.device_owners(text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.device_owners(text[], text[]) TO parking_ingest;

-- Who sent each orphan. source_tenant_id: the tenant whose integration sent it, or the zero
-- uuid for the platform secret (as in ingest.orphan.seen.v1). Deleted with the orphan, when the
-- source's tenant registers the devEUI (it is no orphan of that source any more; the platform
-- source goes too), and when a platform admin assigns it.
CREATE TABLE ingest.orphan_sources (
  dev_eui          text NOT NULL REFERENCES ingest.orphans (dev_eui) ON DELETE CASCADE,
  source_tenant_id uuid NOT NULL,
  first_seen_at    timestamptz NOT NULL,
  last_seen_at     timestamptz NOT NULL,
  count            bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (dev_eui, source_tenant_id)
);
-- The cap counts a source's devEUIs.
CREATE INDEX orphan_sources_source_idx ON ingest.orphan_sources (source_tenant_id);

-- One row per source that ever sent an orphan: locked while its orphans are recorded.
CREATE TABLE ingest.orphan_source_quota (
  source_tenant_id uuid PRIMARY KEY,
  -- Events of devEUIs past the cap: acknowledged, not recorded.
  dropped          bigint NOT NULL DEFAULT 0,
  last_dropped_at  timestamptz
);

-- The sources of the orphans recorded so far, from their kept events (the zero uuid for the
-- platform); parking_owner bypasses RLS.
INSERT INTO ingest.orphan_sources (dev_eui, source_tenant_id, first_seen_at, last_seen_at, count)
SELECT e.dev_eui, COALESCE(e.source_tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), min(e.received_at), max(e.received_at), count(*)
  FROM ingest.orphan_events e
 GROUP BY 1, 2;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['orphan_sources', 'orphan_source_quota'] LOOP
    EXECUTE format('ALTER TABLE ingest.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE ingest.%I FORCE ROW LEVEL SECURITY', t);
    -- Like ingest.orphans: no tenant owns these rows; the pipeline's device-lookup path and platform admins reach them.
    EXECUTE format($p$CREATE POLICY device_lookup ON ingest.%I
      USING (current_setting('app.system_purpose', true) = 'device-lookup')
      WITH CHECK (current_setting('app.system_purpose', true) = 'device-lookup')$p$, t);
    EXECUTE format('CREATE POLICY platform_admin ON ingest.%I TO parking_ingest_platform_admin USING ((SELECT ingest.platform_admin_entered()))', t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON ingest.orphan_sources TO parking_ingest;
GRANT SELECT, INSERT, UPDATE ON ingest.orphan_source_quota TO parking_ingest;

-- Device imports per tenant: the window opens with the first import and lasts a minute.
CREATE TABLE ingest.device_import_windows (
  tenant_id    uuid PRIMARY KEY,
  window_start timestamptz NOT NULL,
  imports      int NOT NULL
);

ALTER TABLE ingest.device_import_windows ENABLE ROW LEVEL SECURITY;
ALTER TABLE ingest.device_import_windows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ingest.device_import_windows
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON ingest.device_import_windows TO parking_ingest_platform_admin USING ((SELECT ingest.platform_admin_entered()));

GRANT SELECT, INSERT, UPDATE ON ingest.device_import_windows TO parking_ingest;
