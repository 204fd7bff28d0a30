-- The queue's sender: replicas share the due commands (SKIP LOCKED), each claimed for a lease
-- (its due time moves past the lease, so a replica that dies leaves it to the next pass).

CREATE FUNCTION downlink.claim_due_commands(batch int, lease_ms int, at timestamptz)
  RETURNS TABLE (tenant_id uuid, id uuid)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'downlink.claim_due_commands runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    UPDATE downlink.commands c
       SET due_at = at + make_interval(secs => lease_ms / 1000.0)
     WHERE c.id IN (
             SELECT d.id FROM downlink.commands d
              WHERE d.state IN ('pending', 'sent') AND d.due_at <= at
              ORDER BY d.priority, d.due_at
              LIMIT batch
              FOR UPDATE SKIP LOCKED)
    RETURNING c.tenant_id, c.id;
END
$$;

REVOKE EXECUTE ON FUNCTION downlink.claim_due_commands(int, int, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION downlink.claim_due_commands(int, int, timestamptz) TO parking_downlink;
