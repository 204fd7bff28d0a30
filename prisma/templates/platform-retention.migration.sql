-- Retention: what {{schema}} may forget, and the one function that forgets it.
-- * retention_rules names each purgeable table, the time column that ages its rows, and which
--   rows may go at all (a pending outbox row or an open command never does). Migrations add the
--   schema's own tables; the runtime role cannot read or change the rules.
-- * purge_retained(target, before, batch) deletes one batch of the target's rows older than
--   `before`, in the caller's transaction, on the system path with purpose 'retention' only.
--   It takes the schema's retention lock first: while one replica purges, the others get NULL
--   and leave the round to it.
-- Runs as parking_owner (the runner does SET LOCAL ROLE).

CREATE TABLE {{schema}}.retention_rules (
  target         text PRIMARY KEY,
  relation       regclass NOT NULL,
  at_column      name NOT NULL,
  -- An extra condition on the row (alias r): only rows that meet it may be deleted.
  only_where     text,
  -- The column a purge may narrow to one stream's subjects (inbox: the subject).
  subject_column name
);

INSERT INTO {{schema}}.retention_rules (target, relation, at_column, only_where, subject_column) VALUES
  ('outbox', '{{schema}}.outbox', 'published_at', NULL, NULL),
  ('inbox', '{{schema}}.inbox', 'processed_at', NULL, 'subject');

-- Each purge reads the oldest rows of its target by its time column.
CREATE INDEX outbox_published_idx ON {{schema}}.outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX inbox_processed_idx ON {{schema}}.inbox (processed_at);

CREATE FUNCTION {{schema}}.purge_retained(target text, before timestamptz, batch int, subject_prefix text DEFAULT NULL)
  RETURNS int
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rule {{schema}}.retention_rules;
  conditions text;
  deleted int;
BEGIN
  IF current_setting('app.system_purpose', true) IS DISTINCT FROM 'retention' THEN
    RAISE EXCEPTION '{{schema}}.purge_retained runs only on the system path for retention (app.system_purpose is not set to retention)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF before IS NULL OR batch IS NULL OR batch < 1 THEN
    RAISE EXCEPTION '{{schema}}.purge_retained needs a cut-off and a positive batch size' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT * INTO rule FROM {{schema}}.retention_rules r WHERE r.target = purge_retained.target;
  IF NOT FOUND THEN
    RAISE EXCEPTION '{{schema}} has no retention rule "%"', purge_retained.target USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF subject_prefix IS NOT NULL AND rule.subject_column IS NULL THEN
    RAISE EXCEPTION '{{schema}}.purge_retained: "%" has no subject to narrow by', purge_retained.target USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT pg_try_advisory_xact_lock(hashtext('{{schema}}.retention')) THEN
    RETURN NULL;
  END IF;
  conditions := format('r.%I < $1', rule.at_column)
    || CASE WHEN rule.only_where IS NULL THEN '' ELSE ' AND (' || rule.only_where || ')' END
    || CASE WHEN subject_prefix IS NULL THEN '' ELSE format(' AND starts_with(r.%I, $3)', rule.subject_column) END;
  -- The conditions are checked again on delete: a row changed since the batch was read stays.
  EXECUTE format('DELETE FROM %1$s r WHERE r.ctid = ANY (ARRAY(SELECT r.ctid FROM %1$s r WHERE %2$s LIMIT $2)) AND %2$s', rule.relation, conditions)
    USING before, batch, subject_prefix;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;

REVOKE EXECUTE ON FUNCTION {{schema}}.purge_retained(text, timestamptz, int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {{schema}}.purge_retained(text, timestamptz, int, text) TO {{role}};
