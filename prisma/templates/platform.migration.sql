-- Platform tables every service schema carries: outbox, inbox, platform_audit, and the
-- SECURITY DEFINER functions that are the system path's only way to tenant rows.
-- Runs as parking_owner (the runner does SET LOCAL ROLE), so parking_owner owns it all.

CREATE SCHEMA IF NOT EXISTS {{schema}};
GRANT USAGE ON SCHEMA {{schema}} TO {{role}};

CREATE TABLE {{schema}}.outbox (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id           uuid NOT NULL UNIQUE,
  tenant_id    uuid NOT NULL,
  subject      text NOT NULL,
  aggregate_id text NOT NULL,
  envelope     jsonb NOT NULL,
  headers      jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts     int NOT NULL DEFAULT 0,
  last_error   text
);
-- The relay only ever scans what is still pending, in seq order.
CREATE INDEX outbox_pending_idx ON {{schema}}.outbox (seq) WHERE published_at IS NULL;

CREATE TABLE {{schema}}.inbox (
  consumer     text NOT NULL,
  event_id     uuid NOT NULL,
  tenant_id    uuid NOT NULL,
  subject      text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE {{schema}}.platform_audit (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor  text NOT NULL,
  reason text NOT NULL,
  at     timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE {{schema}}.outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON {{schema}}.outbox
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON {{schema}}.outbox
  USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL);

ALTER TABLE {{schema}}.inbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE {{schema}}.inbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON {{schema}}.inbox
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON {{schema}}.inbox
  USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL);

GRANT SELECT, INSERT ON {{schema}}.outbox TO {{role}};
GRANT SELECT, INSERT, DELETE ON {{schema}}.inbox TO {{role}};
-- Insert-only: the audit trail cannot be read back or rewritten by the service.
GRANT INSERT ON {{schema}}.platform_audit TO {{role}};

-- System path (asSystem): these run as parking_owner, which bypasses RLS, so each one
-- refuses to run unless the caller declared a system purpose in this transaction.
CREATE FUNCTION {{schema}}.outbox_pending(batch int)
  RETURNS TABLE (seq bigint, id uuid, subject text, envelope jsonb, headers jsonb)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION '{{schema}}.outbox_pending runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT o.seq, o.id, o.subject, o.envelope, o.headers
      FROM {{schema}}.outbox o
     WHERE o.published_at IS NULL
     ORDER BY o.seq
     LIMIT batch;
END
$$;

CREATE FUNCTION {{schema}}.outbox_mark_published(seqs bigint[])
  RETURNS int
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  marked int;
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION '{{schema}}.outbox_mark_published runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE {{schema}}.outbox o
     SET published_at = now()
   WHERE o.seq = ANY (seqs) AND o.published_at IS NULL;
  GET DIAGNOSTICS marked = ROW_COUNT;
  RETURN marked;
END
$$;

CREATE FUNCTION {{schema}}.outbox_record_failure(seq bigint, error text)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION '{{schema}}.outbox_record_failure runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE {{schema}}.outbox o
     SET attempts = o.attempts + 1, last_error = outbox_record_failure.error
   WHERE o.seq = outbox_record_failure.seq;
END
$$;

CREATE FUNCTION {{schema}}.outbox_backlog()
  RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION '{{schema}}.outbox_backlog runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN (SELECT count(*) FROM {{schema}}.outbox o WHERE o.published_at IS NULL);
END
$$;

REVOKE EXECUTE ON FUNCTION {{schema}}.outbox_pending(int) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION {{schema}}.outbox_mark_published(bigint[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION {{schema}}.outbox_record_failure(bigint, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION {{schema}}.outbox_backlog() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {{schema}}.outbox_pending(int) TO {{role}};
GRANT EXECUTE ON FUNCTION {{schema}}.outbox_mark_published(bigint[]) TO {{role}};
GRANT EXECUTE ON FUNCTION {{schema}}.outbox_record_failure(bigint, text) TO {{role}};
GRANT EXECUTE ON FUNCTION {{schema}}.outbox_backlog() TO {{role}};
