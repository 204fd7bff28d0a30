-- Next due times, so that idle loops sleep until their work falls due instead of polling.
--
-- When the sender's next pass is due: the earliest due time of an open command of any tenant
-- (a retry, a paced frame, a frame waiting for airtime, a lapsed claim). An idle sender then
-- sleeps until that moment instead of polling.
CREATE FUNCTION downlink.next_command_due()
  RETURNS timestamptz
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'downlink.next_command_due runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN (SELECT min(c.due_at) FROM downlink.commands c WHERE c.state IN ('pending', 'sent'));
END
$$;

REVOKE EXECUTE ON FUNCTION downlink.next_command_due() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION downlink.next_command_due() TO parking_downlink;

-- When the next override of any tenant runs out: the expiry loop sleeps until then.
CREATE FUNCTION downlink.next_override_expiry()
  RETURNS timestamptz
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'downlink.next_override_expiry runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN (SELECT min(d.override_expires_at) FROM downlink.displays d WHERE d.override_expires_at IS NOT NULL);
END
$$;

REVOKE EXECUTE ON FUNCTION downlink.next_override_expiry() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION downlink.next_override_expiry() TO parking_downlink;
