-- Platform-admin access goes through a SECURITY DEFINER entry point, not a session setting.
-- Before, each platform_admin policy admitted any session that set app.platform_actor, which
-- the runtime role could do by itself. Now:
-- * ingest.enter_platform_admin writes the audit row, stamped with the transaction; the
--   runtime role may no longer write platform_audit itself;
-- * the platform_admin policies apply only to parking_ingest_platform_admin, the NOLOGIN role
--   asPlatformAdmin switches to (SET LOCAL ROLE) right after, and admit a statement only while
--   its transaction holds such a row. Switching roles without the row gains nothing.
-- The runtime role's own statements no longer carry the policy at all, so tenant transactions
-- plan and run as before. bootstrapRoles creates the role; the migration runner gives it the
-- runtime role's privileges. Runs as parking_owner (the runner does SET LOCAL ROLE).

-- The transaction (and session) that entered the path; rows written before this migration have none.
ALTER TABLE ingest.platform_audit ADD COLUMN xact_id xid8, ADD COLUMN backend_pid int;
-- The policies look the current transaction up: one index probe per statement.
CREATE INDEX platform_audit_xact_idx ON ingest.platform_audit (xact_id) WHERE xact_id IS NOT NULL;

REVOKE INSERT ON ingest.platform_audit FROM parking_ingest;

-- The only way in: writes who and why, stamped with this transaction. Answers the row's id.
CREATE FUNCTION ingest.enter_platform_admin(actor text, reason text)
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  audit_id bigint;
BEGIN
  IF NULLIF(btrim(enter_platform_admin.actor), '') IS NULL OR NULLIF(btrim(enter_platform_admin.reason), '') IS NULL THEN
    RAISE EXCEPTION 'ingest.enter_platform_admin needs a non-empty actor and reason for the audit trail'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO ingest.platform_audit AS a (actor, reason, xact_id, backend_pid)
    VALUES (enter_platform_admin.actor, enter_platform_admin.reason, pg_current_xact_id(), pg_backend_pid())
    RETURNING a.id INTO audit_id;
  RETURN audit_id;
END
$$;

-- What every platform_admin policy asks: did this transaction enter the path? The xid is
-- never reused and changes with every transaction, so the answer cannot outlive it on a
-- pooled connection. PARALLEL RESTRICTED: the policies call it in an InitPlan, which runs in
-- the leader (a worker has its own pid) and hands the answer to the workers.
CREATE FUNCTION ingest.platform_admin_entered()
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL RESTRICTED SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
  SELECT EXISTS (SELECT 1 FROM ingest.platform_audit a
                  WHERE a.xact_id = pg_current_xact_id_if_assigned() AND a.backend_pid = pg_backend_pid())
$$;

REVOKE EXECUTE ON FUNCTION ingest.enter_platform_admin(text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ingest.platform_admin_entered() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.enter_platform_admin(text, text) TO parking_ingest;
-- Policies run with the querying role's privileges (the platform-admin role gets the runtime role's).
GRANT EXECUTE ON FUNCTION ingest.platform_admin_entered() TO parking_ingest;

-- The scalar subquery makes the check an InitPlan: evaluated once per statement, never per
-- row. Tables created by a schema's later migrations get the same policy in its own migration.
ALTER POLICY platform_admin ON ingest.outbox TO parking_ingest_platform_admin USING ((SELECT ingest.platform_admin_entered()));
ALTER POLICY platform_admin ON ingest.inbox TO parking_ingest_platform_admin USING ((SELECT ingest.platform_admin_entered()));
