-- Overrides whose time is up, across tenants: their displays go back to the policy.
CREATE FUNCTION downlink.expired_overrides(at timestamptz, batch int)
  RETURNS TABLE (tenant_id uuid, id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'downlink.expired_overrides runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT d.tenant_id, d.id FROM downlink.displays d WHERE d.override_expires_at <= at ORDER BY d.override_expires_at LIMIT batch;
END
$$;

REVOKE EXECUTE ON FUNCTION downlink.expired_overrides(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION downlink.expired_overrides(timestamptz, int) TO parking_downlink;
