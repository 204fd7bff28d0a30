-- Sites and zones as occupancy announces them: a count sign is bound to one, and an override
-- may cover a zone (with its nested zones) or a whole site. Periodic refresh of every sign.

CREATE TABLE downlink.sites (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  name        text NOT NULL,
  version     int NOT NULL,
  removed     boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE downlink.zones (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  site_id     uuid NOT NULL,
  -- Its ancestors from the top, then the zone itself (fixed once the zone exists).
  path        uuid[] NOT NULL,
  name        text NOT NULL,
  version     int NOT NULL,
  removed     boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- A zone's nested zones: the rows whose path holds it.
CREATE INDEX zones_path_idx ON downlink.zones USING gin (path);
CREATE INDEX spaces_zone_idx ON downlink.spaces (tenant_id, zone_id);
CREATE INDEX displays_site_idx ON downlink.displays (tenant_id, site_id);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['sites', 'zones']
  LOOP
    EXECUTE format('ALTER TABLE downlink.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE downlink.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON downlink.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON downlink.%I TO parking_downlink_platform_admin
      USING ((SELECT downlink.platform_admin_entered()))$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON downlink.sites, downlink.zones TO parking_downlink;

-- Displays due a periodic refresh, across tenants: nothing queued for them, and neither a
-- frame confirmed nor a command made since `before` (so each gets one per interval at most).
CREATE FUNCTION downlink.displays_due_refresh(before timestamptz, batch int)
  RETURNS TABLE (tenant_id uuid, id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'downlink.displays_due_refresh runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT d.tenant_id, d.id FROM downlink.displays d
     WHERE d.created_at < before
       AND (d.shows_at IS NULL OR d.shows_at < before)
       AND NOT EXISTS (SELECT 1 FROM downlink.commands c
                        WHERE c.tenant_id = d.tenant_id AND c.display_id = d.id
                          AND (c.state IN ('pending', 'sent') OR c.created_at >= before))
     ORDER BY d.shows_at NULLS FIRST, d.id
     LIMIT batch;
END
$$;

REVOKE EXECUTE ON FUNCTION downlink.displays_due_refresh(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION downlink.displays_due_refresh(timestamptz, int) TO parking_downlink;
