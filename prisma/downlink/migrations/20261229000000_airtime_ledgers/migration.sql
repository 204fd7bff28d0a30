-- Each tenant's signage airtime, so its hourly cap is one indexed sum rather than a scan of its
-- command history; and a purge that keeps both airtime ledgers to the hour the budgets look at.

CREATE TABLE downlink.tenant_airtime (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  at          timestamptz NOT NULL,
  airtime_ms  real NOT NULL
);
CREATE INDEX tenant_airtime_window_idx ON downlink.tenant_airtime (tenant_id, at);

ALTER TABLE downlink.tenant_airtime ENABLE ROW LEVEL SECURITY;
ALTER TABLE downlink.tenant_airtime FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON downlink.tenant_airtime
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON downlink.tenant_airtime TO parking_downlink_platform_admin
  USING ((SELECT downlink.platform_admin_entered()));
GRANT SELECT, INSERT ON downlink.tenant_airtime TO parking_downlink;

-- The tenants' airtime as far as the cap looks back: what the sends so far booked.
INSERT INTO downlink.tenant_airtime (tenant_id, at, airtime_ms)
SELECT e.tenant_id, e.at, c.airtime_ms
  FROM downlink.command_events e JOIN downlink.commands c ON c.id = e.command_id
 WHERE e.outcome = 'sent' AND e.at > now() - interval '1 hour';

-- Airtime older than `before`, across tenants and gateways: no budget looks at it any more.
CREATE FUNCTION downlink.purge_airtime(before timestamptz)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  gone bigint;
  more bigint;
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'downlink.purge_airtime runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM downlink.airtime_uses a WHERE a.at < before;
  GET DIAGNOSTICS gone = ROW_COUNT;
  DELETE FROM downlink.tenant_airtime t WHERE t.at < before;
  GET DIAGNOSTICS more = ROW_COUNT;
  RETURN gone + more;
END
$$;

REVOKE EXECUTE ON FUNCTION downlink.purge_airtime(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION downlink.purge_airtime(timestamptz) TO parking_downlink;
