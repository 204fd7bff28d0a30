-- Reconciliation: each run of a connection (what it compared, found and did), the orphans
-- already reported (each is published once until it is registered or leaves ChirpStack), and
-- when each device was last read whole (the Get budget goes to the least recently read).

CREATE TABLE chirpstack.reconciliation_runs (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  connection_id  uuid NOT NULL,
  trigger        text NOT NULL CHECK (trigger IN ('schedule', 'request')),
  policy         text NOT NULL CHECK (policy IN ('report-only', 'platform-wins', 'chirpstack-wins')),
  status         text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  counts         jsonb NOT NULL DEFAULT '{}',
  findings       jsonb NOT NULL DEFAULT '[]',
  error          text,
  -- When the run started.
  created_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);
-- One run of a connection at a time.
CREATE UNIQUE INDEX reconciliation_runs_one_running ON chirpstack.reconciliation_runs (connection_id) WHERE status = 'running';
CREATE INDEX reconciliation_runs_page_idx ON chirpstack.reconciliation_runs (tenant_id, created_at DESC, id DESC);

CREATE TABLE chirpstack.reported_orphans (
  tenant_id      uuid NOT NULL,
  connection_id  uuid NOT NULL,
  dev_eui        text NOT NULL,
  reported_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, connection_id, dev_eui)
);

ALTER TABLE chirpstack.devices ADD COLUMN inspected_at timestamptz;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['reconciliation_runs', 'reported_orphans']
  LOOP
    EXECUTE format('ALTER TABLE chirpstack.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE chirpstack.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON chirpstack.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON chirpstack.%I TO parking_chirpstack_sync_platform_admin
      USING ((SELECT chirpstack.platform_admin_entered()))$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON chirpstack.reconciliation_runs TO parking_chirpstack_sync;
GRANT SELECT, INSERT, DELETE ON chirpstack.reported_orphans TO parking_chirpstack_sync;

-- The scheduled reconciliation's list of every tenant's connections. Answers ids only.
CREATE FUNCTION chirpstack.all_connections()
  RETURNS TABLE (tenant_id uuid, id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'chirpstack.all_connections runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT c.tenant_id, c.id FROM chirpstack.connections c ORDER BY c.tenant_id, c.id;
END
$$;
REVOKE EXECUTE ON FUNCTION chirpstack.all_connections() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chirpstack.all_connections() TO parking_chirpstack_sync;
