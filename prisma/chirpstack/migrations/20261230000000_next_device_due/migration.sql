-- When the device sync's next attempt is due: the earliest moment a device of any tenant can be
-- claimed (its next attempt, or the end of a claim another worker holds). An idle worker then
-- sleeps until that moment instead of polling.
CREATE FUNCTION chirpstack.next_device_due()
  RETURNS timestamptz
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'chirpstack.next_device_due runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN (SELECT min(GREATEST(d.next_attempt_at, d.claimed_until))
            FROM chirpstack.devices d
           WHERE d.next_attempt_at IS NOT NULL);
END
$$;

REVOKE EXECUTE ON FUNCTION chirpstack.next_device_due() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chirpstack.next_device_due() TO parking_chirpstack_sync;
